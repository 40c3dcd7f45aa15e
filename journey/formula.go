package journey

import (
	"fmt"
	"math"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/stats"
)

const pkg = "journey"

func inputErr(what string, index int, v any, err error, detail string) error {
	return &cxmetrics.InputError{Pkg: pkg, What: what, Index: index, Value: v, Err: err, Detail: detail}
}

// checkFinite checks that x is a number.
func checkFinite(what string, x float64) error {
	if !stats.Finite(x) {
		return inputErr(what, -1, x, cxmetrics.ErrNotFinite, "")
	}
	return nil
}

// count checks that x is a finite number >= 0.
func count(what string, x float64) error {
	if err := checkFinite(what, x); err != nil {
		return err
	}
	if x < 0 {
		return inputErr(what, -1, x, cxmetrics.ErrOutOfRange, "(must be >= 0)")
	}
	return nil
}

// whole checks that x is a finite number > 0: a denominator. Zero is ErrEmpty: there is
// nothing to take a share of.
func whole(what string, x float64) error {
	if err := count(what, x); err != nil {
		return err
	}
	if x == 0 {
		return inputErr(what, -1, x, cxmetrics.ErrEmpty, "(must be > 0)")
	}
	return nil
}

// shareOf checks part and whole and returns part / whole, which must lie in [0, 1].
func shareOf(partName string, part float64, wholeName string, w float64) (float64, error) {
	if err := count(partName, part); err != nil {
		return 0, err
	}
	if err := whole(wholeName, w); err != nil {
		return 0, err
	}
	if part > w {
		return 0, inputErr(partName, -1, part, cxmetrics.ErrOutOfRange, "(must not exceed "+wholeName+")")
	}
	return part / w, nil
}

// ratio checks num >= 0 and den > 0 and returns num / den, which must be finite.
func ratio(numName string, num float64, denName string, den float64) (float64, error) {
	if err := count(numName, num); err != nil {
		return 0, err
	}
	if err := whole(denName, den); err != nil {
		return 0, err
	}
	r := num / den
	if math.IsInf(r, 0) {
		return 0, inputErr(numName, -1, num, cxmetrics.ErrNotFinite, "(the ratio to "+denName+" overflows float64)")
	}
	return r, nil
}

// counts checks that x is not empty and that each of its values is a finite number >= 0,
// and returns the largest.
func counts(what string, x []float64) (float64, error) {
	if len(x) == 0 {
		return 0, inputErr(what, -1, "[]", cxmetrics.ErrEmpty, "")
	}
	m := 0.0
	for i, v := range x {
		if !stats.Finite(v) {
			return 0, inputErr(what, i, v, cxmetrics.ErrNotFinite, "")
		}
		if v < 0 {
			return 0, inputErr(what, i, v, cxmetrics.ErrOutOfRange, "(must be >= 0)")
		}
		m = max(m, v)
	}
	return m, nil
}

// sumCounts returns the compensated sum of x, each of which must be a finite number >= 0.
// A sum beyond the largest float64 has no answer and is an error wrapping ErrNotFinite.
func sumCounts(what string, x []float64) (float64, error) {
	if _, err := counts(what, x); err != nil {
		return 0, err
	}
	var s stats.Sum
	for _, v := range x {
		s.Add(v)
	}
	if t := s.Value(); stats.Finite(t) {
		return t, nil
	}
	return 0, overflow(what+" sum", len(x))
}

// overflow reports a result beyond the largest float64 from n finite inputs.
func overflow(what string, n int) error {
	return inputErr(what, -1, fmt.Sprintf("of %d values", n), cxmetrics.ErrNotFinite, "(overflows float64)")
}

// scaled returns num[0] × num[1] × ... / den, for finite num and a finite den != 0,
// computed on the fractions and exponents of math.Frexp so that no partial product
// overflows or underflows: the result is infinite only when the true value lies beyond
// the largest float64, and 0 when any factor is 0. Where the plain expression neither
// overflows nor underflows it gives the same result, as scaling by a power of two is
// exact.
func scaled(den float64, num ...float64) float64 {
	f, e := 1.0, 0
	for _, x := range num {
		if x == 0 {
			return 0
		}
		fx, ex := math.Frexp(x)
		f, e = f*fx, e+ex
		fx, ex = math.Frexp(f) // keep f in [0.5, 1) so that many factors cannot underflow
		f, e = fx, e+ex
	}
	fd, ed := math.Frexp(den)
	return math.Ldexp(f/fd, e-ed)
}

// ShareOfVoice returns the brand's share of its category's voice:
//
//	brand / category
//
// where both count the same thing: mentions, ad impressions or advertising spend over the
// same period, and category includes the brand. Binet, L. & Field, P. (2009). The Long and
// the Short of It. IPA: share of voice against share of market.
func ShareOfVoice(brand, category float64) (float64, error) {
	return shareOf("brand", brand, "category", category)
}

// TotalSiteVisits returns the total number of site visits (sessions), the sum of visits
// over sources, pages or days:
//
//	\sum_i visits_i
//
// The sum is compensated, so long series of fractional (sampled or weighted) counts keep
// their precision; a total beyond the largest float64 is an error wrapping
// [cxmetrics.ErrNotFinite]. To count visits in an event log, use [Sessions] and take the
// length of its result.
func TotalSiteVisits(visits []float64) (float64, error) {
	return sumCounts("visits", visits)
}

// OrganicKeywordTraffic returns the number of visits that a site can expect from unpaid
// search results, summed over the keywords it ranks for:
//
//	\sum_i volume_i × ctr_i
//
// where volume_i is the keyword's search volume for the period and ctr_i (a share in
// [0, 1]) the click-through rate at the site's rank for it. This is the estimate that SEO
// tools report as organic traffic (for example Semrush's "Traffic" metric). A total
// beyond the largest float64 is an error wrapping [cxmetrics.ErrNotFinite].
func OrganicKeywordTraffic(volumes, clickThroughRates []float64) (float64, error) {
	if len(volumes) != len(clickThroughRates) {
		return 0, inputErr("click-through rates", -1, len(clickThroughRates), cxmetrics.ErrLengthMismatch, "(want one per volume)")
	}
	if len(volumes) == 0 {
		return 0, inputErr("volumes", -1, "[]", cxmetrics.ErrEmpty, "")
	}
	var s stats.Sum
	for i, v := range volumes {
		c := clickThroughRates[i]
		switch {
		case !stats.Finite(v):
			return 0, inputErr("volume", i, v, cxmetrics.ErrNotFinite, "")
		case v < 0:
			return 0, inputErr("volume", i, v, cxmetrics.ErrOutOfRange, "(must be >= 0)")
		case !stats.Finite(c):
			return 0, inputErr("click-through rate", i, c, cxmetrics.ErrNotFinite, "")
		case c < 0 || c > 1:
			return 0, inputErr("click-through rate", i, c, cxmetrics.ErrOutOfRange, "[0, 1]")
		}
		s.Add(v * c)
	}
	if t := s.Value(); stats.Finite(t) {
		return t, nil
	}
	return 0, overflow("traffic sum", len(volumes))
}

// RetailVisitsPerStore returns the average footfall per store:
//
//	visits / stores
//
// with visits counted by door counters or location panels over one period, and stores the
// number of stores open in it.
func RetailVisitsPerStore(visits, stores float64) (float64, error) {
	return ratio("visits", visits, "stores", stores)
}

// ConversionRate returns the share of visitors (or sessions) that converted:
//
//	conversions / visitors
//
// Count each visitor once, however many times they converted; conversions above visitors
// are an error. (Google Analytics' ecommerce conversion rate, transactions / sessions, can
// exceed 1; compute that one as a plain ratio.)
func ConversionRate(conversions, visitors float64) (float64, error) {
	return shareOf("conversions", conversions, "visitors", visitors)
}

// CartAbandonmentRate returns the share of shopping carts that were created but not
// turned into orders:
//
//	1 - orders / carts
//
// Baymard Institute, "Cart Abandonment Rate Statistics" (the definition behind its
// average of about 70 %).
func CartAbandonmentRate(orders, carts float64) (float64, error) {
	r, err := shareOf("orders", orders, "carts", carts)
	if err != nil {
		return 0, err
	}
	return 1 - r, nil
}

// StoreVisitConversion compares store visits with purchases: the share of visits to
// physical stores that end in a purchase (retail conversion rate):
//
//	purchases / visits
//
// Count purchasing visits, not items or receipts that split one visit.
func StoreVisitConversion(purchases, visits float64) (float64, error) {
	return shareOf("purchases", purchases, "visits", visits)
}

// BounceRate returns the bounce rate as Universal Analytics defined it: the share of
// sessions that saw a single page:
//
//	single-page sessions / sessions
//
// Google Analytics 4 redefined bounce rate as the share of sessions that were not engaged;
// use [GA4BounceRate] for that one. The two differ: a visitor who reads one page for a
// minute bounces in Universal Analytics but is engaged in GA4.
func BounceRate(singlePage, sessions float64) (float64, error) {
	return shareOf("single-page sessions", singlePage, "sessions", sessions)
}

// EngagementRate returns the share of sessions that were engaged, as Google Analytics 4
// defines it (a session that lasted 10 seconds or longer, had 2 or more page or screen
// views, or had a key event):
//
//	engaged sessions / sessions
func EngagementRate(engaged, sessions float64) (float64, error) {
	return shareOf("engaged sessions", engaged, "sessions", sessions)
}

// GA4BounceRate returns the bounce rate as Google Analytics 4 defines it, the complement
// of [EngagementRate]:
//
//	1 - engaged sessions / sessions
//
// See [BounceRate] for Universal Analytics' older single-page definition.
func GA4BounceRate(engaged, sessions float64) (float64, error) {
	r, err := EngagementRate(engaged, sessions)
	if err != nil {
		return 0, err
	}
	return 1 - r, nil
}

// AverageOrderValue returns the revenue per order:
//
//	revenue / orders
func AverageOrderValue(revenue, orders float64) (float64, error) {
	return ratio("revenue", revenue, "orders", orders)
}

// PurchaseFrequency returns the number of orders per customer in a period:
//
//	orders / customers
//
// where customers counts the distinct customers who ordered.
func PurchaseFrequency(orders, customers float64) (float64, error) {
	return ratio("orders", orders, "customers", customers)
}

// RepeatPurchaseRate returns the share of buying customers who bought again:
//
//	customers with >= 2 orders / customers with >= 1 order
func RepeatPurchaseRate(repeatCustomers, customers float64) (float64, error) {
	return shareOf("repeat customers", repeatCustomers, "customers", customers)
}

// ChurnRate returns the share of the customers at the start of a period who were lost
// during it:
//
//	lost / customers at start
//
// Customers acquired during the period are not counted (see [RetentionRate]).
func ChurnRate(lost, start float64) (float64, error) {
	return shareOf("lost", lost, "start", start)
}

// RetentionRate returns the customer retention rate of a period:
//
//	(customers at end - customers acquired) / customers at start
//
// Customers acquired during the period are removed from the end count so that only the
// customers kept from the start are counted. acquired must not exceed end, and
// end - acquired must not exceed start.
func RetentionRate(end, acquired, start float64) (float64, error) {
	if err := count("end", end); err != nil {
		return 0, err
	}
	if err := count("acquired", acquired); err != nil {
		return 0, err
	}
	if acquired > end {
		return 0, inputErr("acquired", -1, acquired, cxmetrics.ErrOutOfRange, "(must not exceed end)")
	}
	return shareOf("end - acquired", end-acquired, "start", start)
}

// CustomerLifetimeValue returns the simple (historical) customer lifetime value:
//
//	average order value × purchase frequency × lifespan × margin
//
// with frequency in orders per period, lifespan in the same periods, and margin the
// profit margin as a share in [0, 1] (pass 1 for revenue rather than profit). The
// product is formed on the factors' binary fractions and exponents, so that a partial
// product that overflows cannot spoil a representable result (a zero factor gives 0); a
// value beyond the largest float64 is an error wrapping [cxmetrics.ErrNotFinite]. See
// [CustomerLifetimeValueMargin] for the form that discounts future margins, and the
// journey/clv package for models fitted to transactions.
func CustomerLifetimeValue(averageOrderValue, frequency, lifespan, margin float64) (float64, error) {
	if err := count("average order value", averageOrderValue); err != nil {
		return 0, err
	}
	if err := count("frequency", frequency); err != nil {
		return 0, err
	}
	if err := count("lifespan", lifespan); err != nil {
		return 0, err
	}
	if err := checkFinite("margin", margin); err != nil {
		return 0, err
	}
	if margin < 0 || margin > 1 {
		return 0, inputErr("margin", -1, margin, cxmetrics.ErrOutOfRange, "[0, 1]")
	}
	v := scaled(1, averageOrderValue, frequency, lifespan, margin)
	if math.IsInf(v, 0) {
		return 0, inputErr("average order value", -1, averageOrderValue, cxmetrics.ErrNotFinite, "(the lifetime value overflows float64)")
	}
	return v, nil
}

// CustomerLifetimeValueMargin returns the lifetime value of a customer who yields a margin
// m per period, stays each period with probability r and whose future margins are
// discounted at rate d per period, with margins received at the end of each period and
// an infinite horizon:
//
//	\sum_{t>=1} m r^t / (1+d)^t = m r / (1 + d - r)
//
// Gupta, S. & Lehmann, D. R. (2003). Customers as assets. Journal of Interactive Marketing
// 17(1), 9–24: m = 100, r = 0.8, d = 0.1 give 266.67. The margin may be negative (a
// customer who costs money); retention must lie in [0, 1] and discount be >= 0, not both
// 1 and 0 (an infinite value). The denominator is formed as (1 - r) + d, which keeps a
// tiny discount that 1 + d would round away, and the quotient on binary fractions and
// exponents; a value beyond the largest float64 is an error wrapping
// [cxmetrics.ErrNotFinite].
func CustomerLifetimeValueMargin(margin, retention, discount float64) (float64, error) {
	if err := checkFinite("margin", margin); err != nil {
		return 0, err
	}
	if err := checkFinite("retention", retention); err != nil {
		return 0, err
	}
	if retention < 0 || retention > 1 {
		return 0, inputErr("retention", -1, retention, cxmetrics.ErrOutOfRange, "[0, 1]")
	}
	if err := count("discount", discount); err != nil {
		return 0, err
	}
	den := (1 - retention) + discount
	if den == 0 {
		return 0, inputErr("discount", -1, discount, cxmetrics.ErrOutOfRange, "(retention 1 needs a discount > 0)")
	}
	v := scaled(den, margin, retention)
	if math.IsInf(v, 0) {
		return 0, inputErr("margin", -1, margin, cxmetrics.ErrNotFinite, "(the lifetime value overflows float64)")
	}
	return v, nil
}

// FirstContactResolution returns the share of support contacts (tickets, calls, chats)
// resolved in the first contact, with no follow-up:
//
//	resolved on first contact / contacts
//
// Some help desks divide by resolved contacts only; pass that count as contacts to get
// their figure.
func FirstContactResolution(resolvedFirst, contacts float64) (float64, error) {
	return shareOf("resolved on first contact", resolvedFirst, "contacts", contacts)
}

// AverageResponseTime returns the mean time to first response over support contacts:
//
//	\sum_i t_i / n
//
// in the unit of the times given (seconds, minutes or hours), each of which must be a
// finite number >= 0. The sum is compensated; when it would overflow, the times are first
// divided by a power of two near the largest of them, so that the mean, which never
// exceeds the largest time, is always returned.
func AverageResponseTime(responseTimes []float64) (float64, error) {
	m, err := counts("response time", responseTimes)
	if err != nil {
		return 0, err
	}
	n := float64(len(responseTimes))
	var s stats.Sum
	for _, v := range responseTimes {
		s.Add(v)
	}
	if t := s.Value(); stats.Finite(t) {
		return t / n, nil
	}
	_, e := math.Frexp(m)
	s = stats.Sum{}
	for _, v := range responseTimes {
		s.Add(math.Ldexp(v, -e))
	}
	return math.Ldexp(s.Value()/n, e), nil
}

// TicketsPerCustomer returns the support ticket volume relative to the customer base:
//
//	tickets / customers
//
// over one period, with customers the active customers in it. Normalizing by customers
// keeps the metric comparable while the base grows.
func TicketsPerCustomer(tickets, customers float64) (float64, error) {
	return ratio("tickets", tickets, "customers", customers)
}

// SocialSentiment returns the net sentiment of social mentions, in [-1, 1]:
//
//	(positive - negative) / (positive + neutral + negative)
//
// Neutral mentions dilute the score; pass neutral = 0 for the variant that some listening
// tools report, (positive - negative) / (positive + negative). The counts are first
// divided by a power of two near the largest of them, so that their sum cannot overflow.
func SocialSentiment(positive, neutral, negative float64) (float64, error) {
	if err := count("positive", positive); err != nil {
		return 0, err
	}
	if err := count("neutral", neutral); err != nil {
		return 0, err
	}
	if err := count("negative", negative); err != nil {
		return 0, err
	}
	m := max(positive, neutral, negative)
	if m == 0 {
		return 0, inputErr("mentions", -1, m, cxmetrics.ErrEmpty, "(positive + neutral + negative must be > 0)")
	}
	_, e := math.Frexp(m)
	p, z, n := math.Ldexp(positive, -e), math.Ldexp(neutral, -e), math.Ldexp(negative, -e)
	return (p - n) / (p + z + n), nil
}

// ReferralRate returns the share of new customers who came through a referral:
//
//	referred customers / new customers
func ReferralRate(referred, newCustomers float64) (float64, error) {
	return shareOf("referred", referred, "new customers", newCustomers)
}
