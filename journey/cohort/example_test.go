package cohort_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/cxmetrics/cxmetrics/journey"
	"github.com/cxmetrics/cxmetrics/journey/cohort"
)

func ExampleBuild() {
	const events = `user,event,time
ann,open,2024-01-01T09:00:00Z
ann,open,2024-01-02T09:00:00Z
ann,open,2024-01-03T09:00:00Z
bob,open,2024-01-01T18:00:00Z
bob,open,2024-01-03T08:00:00Z
cid,open,2024-01-01T20:00:00Z
dee,open,2024-01-02T10:00:00Z
dee,open,2024-01-03T11:00:00Z
eve,open,2024-01-03T12:00:00Z
eve,open,2024-01-04T00:00:00Z
`
	log_, err := journey.ReadEventsCSV(strings.NewReader(events))
	if err != nil {
		log.Fatal(err)
	}
	// Daily calendar cohorts in UTC, read on the 4th at midnight: days up to the 3rd are
	// over, so the cohort of the 1st has days 1 and 2 and that of the 2nd has day 1.
	t, err := cohort.Build(log_, cohort.Options{Period: cohort.Day})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("return on day N:")
	fmt.Print(t)
	fmt.Println("return on or after day N:")
	fmt.Print(t.Triangle(cohort.OnOrAfter))
	fmt.Println("churn:")
	fmt.Print(t.Triangle(cohort.Churn))
	// Output:
	// return on day N:
	// cohort      users       0       1       2
	// 2024-01-01      3  100.0%   33.3%   66.7%
	// 2024-01-02      1  100.0%  100.0%
	// 2024-01-03      1  100.0%
	// all             5  100.0%   50.0%   66.7%
	// return on or after day N:
	// cohort      users       0       1       2
	// 2024-01-01      3  100.0%   66.7%   66.7%
	// 2024-01-02      1  100.0%  100.0%
	// 2024-01-03      1  100.0%
	// all             5  100.0%   75.0%   66.7%
	// churn:
	// cohort      users       0       1       2
	// 2024-01-01      3    0.0%   33.3%    0.0%
	// 2024-01-02      1    0.0%    0.0%
	// 2024-01-03      1    0.0%
	// all             5    0.0%   25.0%    0.0%
}

// A breakdown by the plan of each user's first event, with the revenue of each cohort
// and day.
func ExampleBuild_breakdown() {
	const events = `user,event,time,value,plan
ann,buy,2024-01-01T09:00:00Z,20,pro
ann,buy,2024-01-02T09:00:00Z,15,
bob,buy,2024-01-01T18:00:00Z,5,free
bob,buy,2024-01-03T08:00:00Z,5,
cid,buy,2024-01-01T20:00:00Z,30,pro
eve,buy,2024-01-03T12:00:00Z,0,free
`
	log_, err := journey.ReadEventsCSV(strings.NewReader(events))
	if err != nil {
		log.Fatal(err)
	}
	t, err := cohort.Build(log_, cohort.Options{BreakdownBy: "plan", Revenue: true})
	if err != nil {
		log.Fatal(err)
	}
	for _, plan := range []string{"free", "pro"} {
		fmt.Println(plan + ":")
		for _, c := range t.Breakdown[plan].Cohorts {
			fmt.Print(c.Start.Format("01-02"), " users ", c.Users, ":")
			for _, x := range c.Cells {
				fmt.Printf(" day %d %d/%d back, revenue %g;", x.Period, x.Active, x.Eligible, x.Revenue)
			}
			fmt.Println()
		}
	}
	fmt.Printf("day 1, all plans: %.0f%% back %v\n", 100*t.Overall[1].Retention, t.Overall[1].RetentionInterval)
	// Output:
	// free:
	// 01-01 users 1: day 0 1/1 back, revenue 5; day 1 0/1 back, revenue 0;
	// 01-03 users 1: day 0 1/1 back, revenue 0;
	// pro:
	// 01-01 users 2: day 0 2/2 back, revenue 50; day 1 1/2 back, revenue 15;
	// day 1, all plans: 33% back 33.33 [6.149, 79.23] (95% Wilson)
}

// A log sorted by time, streamed from its CSV text without holding the events.
func ExampleBuildSeq() {
	const events = `user,event,time
ann,open,2024-01-01T09:00:00Z
bob,open,2024-01-01T18:00:00Z
ann,open,2024-01-02T09:00:00Z
bob,open,2024-01-03T08:00:00Z
ann,open,2024-01-03T09:00:00Z
`
	t, err := cohort.BuildSeq(cohort.Options{}, journey.ScanEventsCSV(strings.NewReader(events)))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(t)
	// An unsorted log is refused at its first event out of order.
	_, err = cohort.BuildSeq(cohort.Options{}, journey.ScanEventsCSV(strings.NewReader("user,event,time\nann,open,2024-01-02T00:00:00Z\nbob,open,2024-01-01T00:00:00Z\n")))
	fmt.Println(err)
	// Output:
	// cohort      users       0       1
	// 2024-01-01      2  100.0%   50.0%
	// all             2  100.0%   50.0%
	// cohort: time 2024-01-01 00:00:00 +0000 UTC at index 1: out of range (before 2024-01-02 00:00:00 +0000 UTC, the time of event 0: the events must be sorted by time)
}
