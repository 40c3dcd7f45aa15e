// Package sample writes the synthetic data of the report's embedded sample: survey
// responses, an online shop's event log and support journeys rated afterwards. Every
// customer, answer and event is made up by a seeded random generator, so that the same
// Config writes the same bytes on every run.
package sample

import (
	"bufio"
	"encoding/csv"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"
)

// Config sets the seed and the sizes of the data sets.
type Config struct {
	Seed        uint64
	Respondents int // survey responses
	Users       int // shop visitors in the event log (about 15 events each)
	Journeys    int // support journeys
}

// Default is the embedded sample: small enough that the report runs in a moment.
var Default = Config{Seed: 20261125, Respondents: 2000, Users: 800, Journeys: 120}

// Large is the data set of the speed check: 100,000 responses and about a million events.
var Large = Config{Seed: 20261125, Respondents: 100_000, Users: 59_000, Journeys: 2000}

// The survey covers six months; the event log the half year that holds them.
var (
	firstMonth = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	months     = 6
)

// region is one survey segment: its share of the respondents, how it feels about the shop
// apart from the drivers, and its mean survey weight.
type region struct {
	name   string
	share  float64
	mood   float64
	weight float64
}

var regions = []region{
	{"north", 0.26, 0.3, 1.1},
	{"south", 0.22, -0.5, 0.9},
	{"east", 0.20, 0.0, 1.0},
	{"west", 0.30, 0.4, 1.0},
	{"islands", 0.02, 0.8, 1.4},
}

// driver is one rated part of the experience: how much it moves the overall feeling, and
// where its ratings (1-5) centre.
type driver struct {
	name   string
	effect float64
	centre float64
}

var drivers = []driver{
	{"delivery", 0.9, 4.0},
	{"support", 1.0, 2.8},
	{"price", 0.35, 2.9},
	{"website", 0.3, 4.1},
	{"quality", 0.6, 3.6},
}

// Responses writes c.Respondents survey responses as CSV: a respondent id, the date, the
// region (segment), the NPS (0-10), CSAT (1-5) and CES (1-7) answers, a survey weight and
// the ratings of five drivers (1-5). Not every question is answered: CSAT is skipped now
// and then, CES is asked only of those who contacted support, and a driver is sometimes
// left blank.
func Responses(w io.Writer, c Config) error {
	rng := rand.New(rand.NewPCG(c.Seed, 1))
	out := csv.NewWriter(w)
	header := []string{"respondent", "date", "segment", "nps", "csat", "ces", "weight"}
	for _, d := range drivers {
		header = append(header, d.name)
	}
	out.Write(header)
	end := firstMonth.AddDate(0, months, 0)
	days := int(end.Sub(firstMonth).Hours() / 24)
	rows := make([][]string, 0, c.Respondents)
	dates := make([]time.Time, 0, c.Respondents)
	for range c.Respondents {
		date := firstMonth.AddDate(0, 0, rng.IntN(days))
		// Support improves over the half year, so the scores trend upwards.
		progress := date.Sub(firstMonth).Hours() / end.Sub(firstMonth).Hours()
		reg := pickRegion(rng.Float64())
		feeling := reg.mood + rng.NormFloat64()*0.9
		record := []string{"", date.Format("2006-01-02"), reg.name}
		ratings := make([]string, len(drivers))
		for j, d := range drivers {
			centre := d.centre
			if d.name == "support" {
				centre += 0.8 * progress
			}
			r := clamp(math.Round(centre+0.6*feeling*0.3+rng.NormFloat64()*0.9), 1, 5)
			feeling += d.effect * (r - 3) * 0.45
			if rng.Float64() >= 0.04 {
				ratings[j] = strconv.Itoa(int(r))
			}
		}
		nps := clamp(math.Round(7.2+1.3*feeling+rng.NormFloat64()*0.8), 0, 10)
		record = append(record, strconv.Itoa(int(nps)))
		if rng.Float64() < 0.9 {
			csat := clamp(math.Round(3.5+0.7*feeling+rng.NormFloat64()*0.6), 1, 5)
			record = append(record, strconv.Itoa(int(csat)))
		} else {
			record = append(record, "")
		}
		if rng.Float64() < 0.45 {
			ces := clamp(math.Round(4.6+0.8*feeling+rng.NormFloat64()*0.9), 1, 7)
			record = append(record, strconv.Itoa(int(ces)))
		} else {
			record = append(record, "")
		}
		weight := reg.weight * []float64{0.8, 1, 1, 1.2, 1.5}[rng.IntN(5)]
		record = append(record, strconv.FormatFloat(weight, 'f', 2, 64))
		record = append(record, ratings...)
		rows = append(rows, record)
		dates = append(dates, date)
	}
	order := make([]int, len(rows))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return dates[a].Compare(dates[b]) })
	for k, i := range order {
		rows[i][0] = "r" + pad(k+1, 5)
		out.Write(rows[i])
	}
	out.Flush()
	return out.Error()
}

func pickRegion(u float64) region {
	for _, r := range regions {
		if u < r.share {
			return r
		}
		u -= r.share
	}
	return regions[len(regions)-1]
}

// channel is a marketing channel of the shop: how likely a visit from it ends in a
// purchase.
type channel struct {
	name string
	conv float64
}

var channels = []channel{
	{"search", 0.12}, {"social", 0.06}, {"email", 0.15}, {"display", 0.04}, {"direct", 0.10},
}

type event struct {
	user, name string
	time       time.Time
	channel    string
	value      string
	device     string
}

// Events writes an online shop's event log for c.Users users as CSV with the columns user,
// event, time (RFC 3339), channel, value and device. A visit comes from a channel and may
// lead to product views, a cart, a checkout and a purchase (with its value in EUR, around
// the customer's usual basket); customers come back every few weeks, each at their own
// pace, until they leave for good, and buy more readily once they have bought.
func Events(w io.Writer, c Config) error {
	rng := rand.New(rand.NewPCG(c.Seed, 2))
	start := firstMonth
	stop := firstMonth.AddDate(0, months, 0)
	span := stop.Sub(start)
	var events []event
	minutes := func(lo, hi float64) time.Duration {
		return time.Duration((lo + rng.Float64()*(hi-lo)) * float64(time.Minute))
	}
	for uid := 1; uid <= c.Users; uid++ {
		user := "u" + pad(uid, 5)
		device := []string{"mobile", "mobile", "desktop", "tablet"}[rng.IntN(4)]
		basket := math.Log(45) + 0.35*rng.NormFloat64() // the customer's usual spend
		t := start.Add(time.Duration(rng.Float64()*0.85*float64(span)) + time.Duration(8+rng.Float64()*14)*time.Hour)
		purchases := 0
		// Customers differ in how often they come back and in how likely they are to leave
		// for good after a purchase; visitors who have not bought leave sooner.
		gap := 12 * math.Exp(0.5*rng.NormFloat64()) * 24 * float64(time.Hour)
		drop := math.Pow(rng.Float64(), 3)
		for t.Before(stop) {
			bought := false
			ch := channels[rng.IntN(len(channels))]
			events = append(events, event{user, "visit", t, ch.name, "", device})
			for range []int{0, 0, 1, 2}[rng.IntN(4)] {
				t = t.Add(minutes(1, 20))
				events = append(events, event{user, "view_product", t, "", "", device})
			}
			p := ch.conv
			if purchases > 0 {
				p *= 2.5
			}
			if rng.Float64() < 0.45 {
				t = t.Add(minutes(1, 15))
				events = append(events, event{user, "add_to_cart", t, "", "", device})
				if rng.Float64() < 0.55 {
					t = t.Add(minutes(1, 30))
					events = append(events, event{user, "checkout", t, "", "", device})
					if rng.Float64() < min(0.95, 0.5+4*p) {
						t = t.Add(minutes(1, 10))
						value := math.Exp(basket + 0.4*rng.NormFloat64())
						events = append(events, event{user, "purchase", t, "", strconv.FormatFloat(value, 'f', 2, 64), device})
						purchases++
						bought = true
					}
				}
			}
			t = t.Add(time.Duration(rng.ExpFloat64() * gap))
			if (bought && rng.Float64() < drop) || (purchases == 0 && rng.Float64() < 0.12) {
				break
			}
		}
	}
	slices.SortStableFunc(events, func(a, b event) int {
		if c := a.time.Compare(b.time); c != 0 {
			return c
		}
		if a.user < b.user {
			return -1
		}
		if a.user > b.user {
			return 1
		}
		return 0
	})
	bw := bufio.NewWriter(w)
	out := csv.NewWriter(bw)
	out.Write([]string{"user", "event", "time", "channel", "value", "device"})
	for _, e := range events {
		if e.time.After(stop) {
			continue
		}
		out.Write([]string{e.user, e.name, e.time.Format(time.RFC3339), e.channel, e.value, e.device})
	}
	out.Flush()
	if err := out.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// Moments writes c.Journeys support journeys as CSV with the columns journey, value
// (valence -5..5), duration (seconds) and rating (the customer's 0-10 rating of the
// whole journey afterwards, on every row of the journey). The ratings follow the peak and
// the end more than the mean.
func Moments(w io.Writer, c Config) error {
	rng := rand.New(rand.NewPCG(c.Seed, 3))
	out := csv.NewWriter(w)
	out.Write([]string{"journey", "value", "duration", "rating"})
	for j := 1; j <= c.Journeys; j++ {
		n := 3 + rng.IntN(7)
		values := make([]float64, n)
		secs := make([]int, n)
		for k := range values {
			values[k] = 0.5 + 1.8*rng.NormFloat64()
			secs[k] = 20 + rng.IntN(581)
		}
		if rng.Float64() < 0.3 {
			values[rng.IntN(n)] = -5 + 2*rng.Float64() // a bad moment
		}
		for k, v := range values {
			values[k] = math.Round(clamp(v, -5, 5)*100) / 100
		}
		peak, total, weighted := values[0], 0.0, 0.0
		for k, v := range values {
			if math.Abs(v) > math.Abs(peak) {
				peak = v
			}
			total += float64(secs[k])
			weighted += v * float64(secs[k])
		}
		mean := weighted / total
		rating := 5 + 0.45*peak + 0.35*values[n-1] + 0.15*mean + 0.6*rng.NormFloat64()
		rating = math.Round(clamp(rating, 0, 10)*10) / 10
		id := "j" + pad(j, 4)
		for k, v := range values {
			out.Write([]string{id, strconv.FormatFloat(v, 'f', 2, 64), strconv.Itoa(secs[k]), strconv.FormatFloat(rating, 'f', 1, 64)})
		}
	}
	out.Flush()
	return out.Error()
}

func clamp(x, lo, hi float64) float64 { return max(lo, min(hi, x)) }

// pad formats n with leading zeros to at least width digits.
func pad(n, width int) string {
	s := strconv.Itoa(n)
	for len(s) < width {
		s = "0" + s
	}
	return s
}
