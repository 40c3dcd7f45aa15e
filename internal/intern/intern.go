// Package intern numbers strings densely: the first distinct string gets id 0, the next 1,
// and so on, so that per-user state can live in slices indexed by int32 ids instead of
// maps keyed by strings.
package intern

import (
	"math"
	"slices"
)

// MaxIDs is the number of distinct strings a table holds at most, so that every id is a
// non-negative int32: ids run from 0 to MaxIDs-1.
const MaxIDs = math.MaxInt32

// IDs is a table of strings and their ids. The zero value is an empty table that holds up
// to MaxIDs strings. An IDs is not safe for concurrent use, not even by Name.
type IDs struct {
	ids   map[string]int32
	names []string // names[id], built by Name when first needed
	// Limit is the number of distinct strings the table holds at most; 0 (or a value
	// above MaxIDs) means MaxIDs.
	Limit int
}

// ID returns the id of s, giving it the next free id if the table does not hold it yet.
// When the table is full and s is new, ok is false and the table is unchanged; an id never
// wraps around.
func (t *IDs) ID(s string) (id int32, ok bool) {
	if id, ok := t.ids[s]; ok {
		return id, true
	}
	limit := t.Limit
	if limit <= 0 || limit > MaxIDs {
		limit = MaxIDs
	}
	if len(t.ids) >= limit {
		return -1, false
	}
	if t.ids == nil {
		t.ids = make(map[string]int32)
	}
	id = int32(len(t.ids))
	t.ids[s] = id
	return id, true
}

// Len returns the number of distinct strings in the table.
func (t *IDs) Len() int { return len(t.ids) }

// Name returns the string with the given id, which must be in [0, Len()). The first call
// after new strings were added builds the reverse table, in time proportional to Len, so
// that tables whose names are never asked for keep no slice of them.
func (t *IDs) Name(id int32) string {
	if len(t.names) != len(t.ids) {
		t.names = slices.Grow(t.names[:0], len(t.ids))[:len(t.ids)]
		for s, i := range t.ids {
			t.names[i] = s
		}
	}
	return t.names[id]
}
