package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// write writes a file into dir and returns its path.
func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// A file that cannot be read stops the report with one line naming the file, the line
// and the column, and exit status 1; nothing is printed on standard output.
func TestFileErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name  string
		flag  string
		file  string // content; "" for a file that does not exist
		wants []string
	}{
		{"empty responses", "-responses", "\n", []string{"line 1", "empty"}},
		{"empty file", "-responses", "-", []string{"line 1", "empty"}},
		{"score 11", "-responses", "date,nps\n2026-01-05,9\n2026-01-06,11\n", []string{"line 3, column 2 (nps)", `"11"`, "out of range [0, 10]"}},
		{"csat 0", "-responses", "csat,ces\n4,5\n0,\n", []string{"line 3, column 1 (csat)", "out of range [1, 5]"}},
		{"not a score", "-responses", "nps\n7\nseven\n", []string{"line 3, column 1 (nps)", `"seven"`}},
		{"fraction", "-responses", "nps\n7.5\n", []string{"line 2, column 1 (nps)", "whole number"}},
		{"bad date", "-responses", "date,nps\n2026-13-01,7\n", []string{"line 2, column 1 (date)", "YYYY-MM-DD"}},
		{"negative weight", "-responses", "nps,weight\n7,1\n8,-2\n", []string{"line 3, column 2 (weight)", "negative weight"}},
		{"missing weight", "-responses", "nps,weight\n7,\n", []string{"line 2, column 2 (weight)"}},
		{"bad driver", "-responses", "nps,speed\n7,4\n8,fast\n", []string{"line 3, column 2 (speed)", `"fast"`}},
		{"infinite driver", "-responses", "nps,speed\n7,4\n8,Inf\n", []string{"line 3, column 2 (speed)", "not finite"}},
		{"no score column", "-responses", "date,segment\n2026-01-01,a\n", []string{"line 1", "no score column"}},
		{"repeated column", "-responses", "nps,NPS\n1,2\n", []string{"line 1, column 2 (NPS)", "unknown label"}},
		{"ragged row", "-responses", "nps,csat\n1,2\n3\n", []string{"line 3", "corrupt"}},
		{"bad event time", "-events", "user,event,time\nu1,visit,2026-01-01T00:00:00Z\nu1,visit,soon\n", []string{"line 3, column 3 (time)", `"soon"`}},
		{"events without user column", "-events", "event,time\nvisit,1\n", []string{"line 1", "user"}},
		{"bad moment", "-moments", "journey,value,duration\nj1,1,10\nj1,x,10\n", []string{"line 3, column 2 (value)", `"x"`}},
		{"negative duration", "-moments", "journey,value,duration\nj1,1,-10\n", []string{"line 2, column 3 (duration)", "out of range"}},
		{"two ratings", "-moments", "journey,value,duration,rating\nj1,1,10,7\nj1,2,10,8\n", []string{"line 3, column 4 (rating)", "rated 7 on line 2"}},
		{"unknown moments column", "-moments", "journey,value,duration,step\nj1,1,10,1\n", []string{"line 1, column 4 (step)", "unknown label"}},
		{"missing file", "-responses", "", []string{"no such file or directory"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_")+".csv")
			switch tc.file {
			case "":
			case "-":
				write(t, dir, filepath.Base(path), "")
			default:
				write(t, dir, filepath.Base(path), tc.file)
			}
			var out, errs bytes.Buffer
			code := run([]string{tc.flag, path, "-out", ""}, &out, &errs)
			msg := errs.String()
			if code != 1 {
				t.Errorf("exit status %d, want 1", code)
			}
			if out.Len() != 0 {
				t.Errorf("standard output: %q", out.String())
			}
			if strings.Count(msg, "\n") != 1 || !strings.HasSuffix(msg, "\n") {
				t.Errorf("want one line on stderr, got %q", msg)
			}
			if !strings.HasPrefix(msg, path+": ") {
				t.Errorf("message %q does not start with the file name", msg)
			}
			for _, want := range tc.wants {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q lacks %q", msg, want)
				}
			}
		})
	}
}

// A directory is a file that cannot be read.
func TestDirectoryAsFile(t *testing.T) {
	dir := t.TempDir()
	var out, errs bytes.Buffer
	if code := run([]string{"-events", dir, "-out", ""}, &out, &errs); code != 1 {
		t.Errorf("exit status %d, want 1", code)
	}
	if msg := errs.String(); !strings.HasPrefix(msg, dir+": ") || strings.Count(msg, "\n") != 1 {
		t.Errorf("message %q", msg)
	}
}

// -h prints the usage with the column names, exits 0 and runs no report.
func TestHelp(t *testing.T) {
	for _, arg := range []string{"-h", "-help", "--help"} {
		dir := t.TempDir()
		var out, errs bytes.Buffer
		if code := run([]string{arg, "-out", dir}, &out, &errs); code != 0 {
			t.Errorf("%s: exit status %d", arg, code)
		}
		for _, want := range []string{"-responses", "-events", "-moments", "-out", "-json", "date", "segment", "nps", "csat", "ces", "weight", "journey, value, duration"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("%s: usage lacks %q", arg, want)
			}
		}
		if strings.Contains(out.String(), "Survey scores") || errs.Len() > 0 {
			t.Errorf("%s: ran the report or wrote to stderr: %q", arg, errs.String())
		}
		if entries, _ := os.ReadDir(dir); len(entries) > 0 {
			t.Errorf("%s wrote %d files", arg, len(entries))
		}
	}
}

// A misspelt flag is an error with exit status 2.
func TestBadFlag(t *testing.T) {
	var out, errs bytes.Buffer
	if code := run([]string{"-respones", "x.csv"}, &out, &errs); code != 2 {
		t.Errorf("exit status %d, want 2", code)
	}
	if !strings.Contains(errs.String(), "-respones") || !strings.Contains(errs.String(), "-h") {
		t.Errorf("message %q", errs.String())
	}
}

// A log with too few repeat customers for the lifetime-value models says why in that
// section, and every other section still runs.
func TestSmallData(t *testing.T) {
	dir := t.TempDir()
	events := write(t, dir, "events.csv", `user,event,time,channel,value
a,visit,2026-01-01T10:00:00Z,search,
a,add_to_cart,2026-01-01T10:05:00Z,,
a,purchase,2026-01-01T10:09:00Z,,30
b,visit,2026-01-02T10:00:00Z,email,
b,add_to_cart,2026-01-02T10:03:00Z,,
c,visit,2026-01-03T11:00:00Z,search,
c,add_to_cart,2026-01-03T11:01:00Z,,
c,purchase,2026-01-03T11:02:00Z,,45
c,visit,2026-02-03T11:00:00Z,email,
c,purchase,2026-02-03T11:10:00Z,,50
`)
	responses := write(t, dir, "responses.csv", "nps,segment\n9,a\n10,a\n3,b\n")
	var out, errs bytes.Buffer
	if code := run([]string{"-events", events, "-responses", responses, "-out", ""}, &out, &errs); code != 0 {
		t.Fatalf("exit status %d: %s", code, errs.String())
	}
	text := strings.Join(strings.Fields(out.String()), " ")
	for _, want := range []string{
		"Customer lifetime value: not available: the BG/NBD model needs at least 10 customers who bought more than once, and 1 of these 2 customers did",
		"cart abandonment rate 33.3%", "Purchase funnel", "Attribution", "Cohort retention",
		"NPS 33.3 points", "NPS by month: not available: the responses have no date column",
		"Peak-end rule: not available: no moments file given (-moments)", "Key drivers: not available",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q:\n%s", want, text)
		}
	}
}

// Each file alone gives its sections, and the others say which file they need.
func TestOneFileEach(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"-responses": write(t, dir, "r.csv", string(sampleResponses)),
		"-events":    write(t, dir, "e.csv", string(sampleEvents)),
		"-moments":   write(t, dir, "m.csv", string(sampleMoments)),
	}
	for flag, path := range files {
		var out, errs bytes.Buffer
		if code := run([]string{flag, path, "-out", ""}, &out, &errs); code != 0 {
			t.Fatalf("%s: exit status %d: %s", flag, code, errs.String())
		}
		text := out.String()
		if strings.Contains(text, "SYNTHETIC") {
			t.Errorf("%s: own data reported as the sample", flag)
		}
		for other := range files {
			need := map[string]string{"-responses": "no survey responses given (-responses)",
				"-events": "no event log given (-events)", "-moments": "no moments file given (-moments)"}[other]
			if got := strings.Contains(text, need); got == (other == flag) {
				t.Errorf("%s: mentions %q: %v", flag, need, got)
			}
		}
	}
}

// An extra column whose first value is not a number is ignored and named; a numeric
// one is a driver.
func TestExtraColumns(t *testing.T) {
	d, err := readResponses(strings.NewReader("\ufeffid,NPS,comment,speed\nx1,9,great,4\nx2,7,,\nx3,3,\"slow, late\",2\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.drivers) != 1 || d.drivers[0].name != "speed" || len(d.drivers[0].values) != 3 {
		t.Errorf("drivers %+v", d.drivers)
	}
	if len(d.ignored) != 2 || d.ignored[0].Name != "id" || d.ignored[1].Name != "comment" || d.ignored[1].Line != 2 {
		t.Errorf("ignored %+v", d.ignored)
	}
	if got := d.scores[0]; len(got) != 3 || got[0] != 9 || got[2] != 3 {
		t.Errorf("nps %v", got)
	}
}
