// Command report is cxmetrics end to end: a customer-experience report of survey
// answers, an event log and rated support journeys, as text (or JSON) on standard output
// and as an HTML page with charts.
//
//	go run ./examples/report                      # the embedded synthetic sample
//	go run ./examples/report -responses survey.csv -events events.csv -out cx
//	go run ./examples/report -h                   # flags and file columns
//
// Without -responses, -events and -moments it runs on sample data embedded in the
// program (testdata/), which is synthetic: made up by a seeded generator, not taken from
// any real shop, and the report says so. With any of the three flags it runs on the files
// given, and each section that needs a file not given says so.
//
// # Files
//
// The responses file is CSV with a header naming its columns, in any order: date
// (YYYY-MM-DD or RFC 3339), segment, nps (0-10), csat (1-5), ces (1-7) and weight, all
// optional but one score column. An empty cell is a question not answered. Every other
// column whose first value is a number holds the ratings of a driver for the key-driver
// section (1-5, 1-7 or 0-10); a column whose first value is not a number (an id, a
// comment) is ignored, and the report lists it. The events file is read by
// journey.ReadEventsCSV; the moments file has the columns journey, value, duration (in
// seconds) and rating (optional: the customer's rating of the whole journey, on any of
// its rows).
//
// A file that cannot be read stops the report with one line on standard error naming the
// file, the line, the column and the reason, and exit status 1:
//
//	survey.csv: line 12, column 3 (nps): value "11": out of range [0, 10]
//
// A section that the data cannot support (a log with too few repeat customers for the
// lifetime-value models) says why, and the other sections still run.
//
// # Sections
//
// Survey scores (NPS, CSAT and CES with their intervals), segments (each against the
// others pooled, with Holm-adjusted p-values, empirical-Bayes shrinkage and a flag for
// small segments), the monthly trend (intervals, month-on-month tests and a linear
// trend), key drivers (Shapley shares of R² with bootstrap intervals, and the importance
// by performance quadrant), the journey stages with the metrics the data supports, the
// purchase funnel with Wilson intervals and times to convert, monthly cohort retention,
// seven attribution models side by side, customer lifetime value in money, and the
// peak-end rule.
//
// # Output files
//
// The directory given by -out (./cxreport by default) receives report.html, a page that
// holds every chart inline and needs no JavaScript, and each chart as SVG and PNG.
//
// # Sample data and tests
//
// testdata/responses.csv, events.csv and moments.csv are written by the gendata command
// (go generate ./examples/report); a test checks that it rewrites them byte for byte.
// The golden-file test compares the text report on the sample with
// testdata/report.golden; after a deliberate change, rewrite it with
//
//	go test ./examples/report -run Golden -update
//
// which also rewrites the two charts that the README shows (docs/*.png).
// BenchmarkLarge times the report on 100,000 responses and about a million events.
package main

//go:generate go run ./gendata

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// options are the command line.
type options struct {
	responses, events, moments string
	out                        string
	json                       bool
	funnel                     []string // the funnel's steps; the last is the purchase
	cart                       string
	pageViews                  []string
	currency                   string
}

func (o options) purchase() string { return o.funnel[len(o.funnel)-1] }

const usage = `Usage: report [flags]

Prints a customer-experience report: survey scores with their uncertainty, segments,
monthly trend, key drivers, journey stages, funnel, cohorts, attribution, customer
lifetime value and the peak-end rule; writes an HTML page and its charts to -out.
Without -responses, -events and -moments it runs on an embedded synthetic sample.

Files:
  -responses FILE   survey answers, CSV with a header; columns by name, any order:
                      date      YYYY-MM-DD or RFC 3339 (optional; for the monthly trend)
                      segment   a group: region, channel, product (optional)
                      nps       0-10   \
                      csat      1-5     > at least one of the three
                      ces       1-7    /
                      weight    survey weight, a number >= 0 (optional)
                    every other column whose first value is a number: a driver rating
                    (1-5, 1-7 or 0-10) for the key drivers; other columns are ignored.
                    An empty cell = not answered.
  -events FILE      the event log, as journey.ReadEventsCSV reads it: user, event, time
                    (RFC 3339 or Unix seconds), channel and value (optional), and
                    property columns (optional; the funnel is broken down by the first
                    one with 2 to 12 values)
  -moments FILE     peak-end data: journey, value, duration (seconds), rating (optional;
                    the journey's rating afterwards, on any of its rows)

Output:
  -out DIR          where the charts and the HTML page go (default ./cxreport; "" for none)
  -json             print the whole report as one JSON object instead of text

Event names (the defaults fit the sample):
  -funnel LIST      the funnel's steps, comma-separated; the last is the purchase
                    (default visit,view_product,add_to_cart,checkout,purchase)
  -cart NAME        the event that creates a cart (default add_to_cart)
  -pageviews LIST   the events that are page views, for bounce rates (default
                    visit,view_product; when none occurs, every event counts)
  -currency CODE    the currency of the event values, as printed (default EUR for the
                    sample, none otherwise)

  -h                this help
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the program: it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, usage)
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "report: %v (run with -h for help)\n", err)
		return 2
	}
	in, err := load(o)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	if in.sample && o.currency == "" {
		o.currency = "EUR"
	}
	rep := build(in, o)
	if o.out != "" {
		if err := writeOutputs(rep, in, o.out); err != nil {
			fmt.Fprintf(stderr, "report: %v\n", err)
			return 1
		}
	}
	if o.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintf(stderr, "report: %v\n", err)
			return 1
		}
		return 0
	}
	writeText(stdout, rep, o)
	return 0
}

func parseFlags(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.responses, "responses", "", "")
	fs.StringVar(&o.events, "events", "", "")
	fs.StringVar(&o.moments, "moments", "", "")
	fs.StringVar(&o.out, "out", "cxreport", "")
	fs.BoolVar(&o.json, "json", false, "")
	funnelSteps := fs.String("funnel", "visit,view_product,add_to_cart,checkout,purchase", "")
	fs.StringVar(&o.cart, "cart", "add_to_cart", "")
	pageViews := fs.String("pageviews", "visit,view_product", "")
	fs.StringVar(&o.currency, "currency", "", "")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	o.funnel = splitList(*funnelSteps)
	if len(o.funnel) == 0 {
		return o, errors.New("-funnel needs at least one event name")
	}
	if o.cart = strings.TrimSpace(o.cart); o.cart == "" {
		return o, errors.New("-cart needs an event name")
	}
	o.pageViews = splitList(*pageViews)
	o.currency = strings.TrimSpace(o.currency)
	return o, nil
}

// splitList splits a comma-separated list, dropping empty names.
func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
