package journey_test

import (
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	"github.com/cxmetrics/cxmetrics/journey"
)

func ExampleStage() {
	for _, s := range journey.Stages() {
		fmt.Printf("%s: %s\n", s, s.Question())
		for _, m := range s.Metrics() {
			fmt.Printf("  %s (%s)\n", m.Name, m.Func[strings.LastIndex(m.Func, "/")+1:])
		}
	}
	// Output:
	// Awareness: Do customers know the brand, its products and their features?
	//   share of voice (journey.ShareOfVoice)
	//   total site visits (journey.TotalSiteVisits)
	// Consideration: When they decide to buy, do they think of us?
	//   organic keyword traffic (journey.OrganicKeywordTraffic)
	//   retail visits (journey.RetailVisitsPerStore)
	// Purchase: Once they start buying, do they finish?
	//   cart abandonment rate (journey.CartAbandonmentRate)
	//   store visits vs purchases (journey.StoreVisitConversion)
	// Retention: Do customers come back to buy again?
	//   customer lifetime value (journey.CustomerLifetimeValue)
	//   repeat purchase rate (journey.RepeatPurchaseRate)
	//   average order value (journey.AverageOrderValue)
	//   support ticket volume (journey.TicketsPerCustomer)
	// Advocacy: Are customers willing to recommend us?
	//   net promoter score (nps.Compute)
	//   willingness to recommend (csat.ComputeScale)
	//   social sentiment (journey.SocialSentiment)
	//   referrals (journey.ReferralRate)
}

func ExampleParseStage() {
	s, err := journey.ParseStage("retention")
	fmt.Println(s, err)
	_, err = journey.ParseStage("delight")
	fmt.Println(err)
	// Output:
	// Retention <nil>
	// journey: stage delight: unknown label (want Awareness, Consideration, Purchase, Retention or Advocacy)
}

func ExampleCartAbandonmentRate() {
	// 1,000 carts were created and 312 became orders.
	r, err := journey.CartAbandonmentRate(312, 1000)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%.1f%%\n", 100*r)

	_, err = journey.CartAbandonmentRate(1200, 1000)
	fmt.Println(err)
	// Output:
	// 68.8%
	// journey: orders 1200: out of range (must not exceed carts)
}

func ExampleCustomerLifetimeValueMargin() {
	// Gupta & Lehmann (2003): a margin of 100 a year, 80 % retention, 10 % discount rate.
	v, err := journey.CustomerLifetimeValueMargin(100, 0.8, 0.1)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%.2f\n", v)
	// Output:
	// 266.67
}

func ExampleReadEventsCSV() {
	const log_ = `user,event,time,channel,value
u1,page_view,2024-03-01T09:00:00Z,search,
u1,page_view,2024-03-01T09:00:04Z,search,
u1,purchase,2024-03-01T09:03:00Z,search,49.90
u2,page_view,2024-03-01T10:00:00Z,email,
u2,page_view,2024-03-01T11:00:00Z,email,
u3,page_view,1709290800,social,
`
	events, err := journey.ReadEventsCSV(strings.NewReader(log_))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(events), "events; u3 at", events[5].Time)
	// Output:
	// 6 events; u3 at 2024-03-01 11:00:00 +0000 UTC
}

func ExampleSessions() {
	const log_ = `user,event,time
u1,page_view,2024-03-01T09:00:00Z
u1,page_view,2024-03-01T09:00:04Z
u1,purchase,2024-03-01T09:03:00Z
u2,page_view,2024-03-01T10:00:00Z
u2,page_view,2024-03-01T11:00:00Z
u3,page_view,2024-03-01T11:00:00Z
u3,scroll,2024-03-01T11:00:30Z
`
	events, err := journey.ReadEventsCSV(strings.NewReader(log_))
	if err != nil {
		log.Fatal(err)
	}
	sessions, err := journey.Sessions(events, 0) // 30 minutes of inactivity end a session
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range sessions {
		fmt.Println(s.User, len(s.Events), "events over", s.Duration())
	}
	st, err := journey.SummarizeSessions(sessions, journey.Engagement{
		PageViews:   []string{"page_view"},
		Conversions: []string{"purchase"},
	})
	if err != nil {
		log.Fatal(err)
	}
	ua, _ := st.BounceRate()
	ga4, _ := st.GA4BounceRate()
	fmt.Printf("%d sessions, bounce rate %.0f%% (Universal Analytics), %.0f%% (GA4)\n", st.Sessions, 100*ua, 100*ga4)
	// Output:
	// u1 3 events over 3m0s
	// u2 1 events over 0s
	// u2 1 events over 0s
	// u3 2 events over 30s
	// 4 sessions, bounce rate 75% (Universal Analytics), 50% (GA4)
}

func ExampleWriteEventsCSV() {
	events := []journey.Event{
		{User: "u1", Name: "purchase", Time: time.Date(2024, 3, 1, 9, 30, 0, 0, time.UTC), Channel: "email", Value: 49.9,
			Props: map[string]string{"country": "FR"}},
		{User: "u2", Name: "page_view", Time: time.Date(2024, 3, 1, 10, 0, 0, 500_000_000, time.UTC)},
	}
	if err := journey.WriteEventsCSV(os.Stdout, events); err != nil {
		log.Fatal(err)
	}
	// Output:
	// user,event,time,channel,value,country
	// u1,purchase,2024-03-01T09:30:00Z,email,49.9,FR
	// u2,page_view,2024-03-01T10:00:00.5Z,,0,
}

func ExampleSummarizeEventSessions() {
	start := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	events := []journey.Event{
		{User: "ann", Name: "page_view", Time: start},
		{User: "bob", Name: "page_view", Time: start.Add(time.Minute)},
		{User: "ann", Name: "page_view", Time: start.Add(2 * time.Minute)},
		{User: "ann", Name: "page_view", Time: start.Add(3 * time.Hour)}, // a new session
		{User: "bob", Name: "purchase", Time: start.Add(5 * time.Minute)},
	}
	st, err := journey.SummarizeEventSessions(events, 0, journey.Engagement{PageViews: []string{"page_view"}, Conversions: []string{"purchase"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	bounce, _ := st.BounceRate()
	engaged, _ := st.EngagementRate()
	fmt.Printf("%d sessions, %d single-page (bounce rate %.2f), %d engaged (%.2f)\n", st.Sessions, st.SinglePage, bounce, st.Engaged, engaged)
	// Output: 3 sessions, 2 single-page (bounce rate 0.67), 2 engaged (0.67)
}

func ExampleScanEventsCSV() {
	const log = "user,event,time\nann,view,1709285400\nbob,view,1709285460\nann,purchase,1709285520\n"
	purchases := 0
	for e, err := range journey.ScanEventsCSV(strings.NewReader(log)) {
		if err != nil {
			fmt.Println(err)
			return
		}
		if e.Name == "purchase" {
			purchases++
		}
	}
	fmt.Println(purchases, "purchase")
	// Output: 1 purchase
}

func ExampleReadEventsJSON() {
	const log = `{"user":"ann","event":"view","time":"2024-03-01T09:30:00Z","country":"FR"}
{"user":"ann","event":"purchase","time":1709285520,"value":19.99}
`
	events, err := journey.ReadEventsJSON(strings.NewReader(log))
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := journey.WriteEventsJSON(os.Stdout, events); err != nil {
		fmt.Println(err)
	}
	_, err = journey.ReadEventsJSON(strings.NewReader(`{"user":"ann","event":"view","time":"soon"}`))
	fmt.Println(err)
	// Output:
	// {"user":"ann","event":"view","time":"2024-03-01T09:30:00Z","country":"FR"}
	// {"user":"ann","event":"purchase","time":"2024-03-01T09:32:00Z","value":19.99}
	// line 1, column 3 (time): value "soon": corrupt data (want RFC 3339 or Unix seconds)
}
