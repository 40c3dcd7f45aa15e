package intern

import "testing"

func TestIDs(t *testing.T) {
	var ids IDs
	for i, c := range []struct {
		s  string
		id int32
	}{{"b", 0}, {"a", 1}, {"b", 0}, {"", 2}, {"a", 1}} {
		id, ok := ids.ID(c.s)
		if !ok || id != c.id {
			t.Errorf("%d: ID(%q) = %d, %v; want %d", i, c.s, id, ok, c.id)
		}
	}
	if ids.Len() != 3 || ids.Name(0) != "b" || ids.Name(1) != "a" || ids.Name(2) != "" {
		t.Errorf("table %d: %q %q %q", ids.Len(), ids.Name(0), ids.Name(1), ids.Name(2))
	}
}

// A full table refuses new strings instead of wrapping their ids around, and still
// answers for the strings it holds.
func TestIDsFull(t *testing.T) {
	ids := IDs{Limit: 2}
	ids.ID("a")
	ids.ID("b")
	if id, ok := ids.ID("c"); ok || id != -1 {
		t.Errorf("third string in a table of two: %d, %v", id, ok)
	}
	if id, ok := ids.ID("b"); !ok || id != 1 {
		t.Errorf("known string in a full table: %d, %v", id, ok)
	}
	if ids.Len() != 2 {
		t.Errorf("Len %d after a refusal", ids.Len())
	}
	for _, limit := range []int{0, -1, MaxIDs + 1} {
		ids := IDs{Limit: limit}
		if _, ok := ids.ID("a"); !ok {
			t.Errorf("limit %d: refused the first string", limit)
		}
	}
}

// Name follows strings added after an earlier call.
func TestNameAfterGrowth(t *testing.T) {
	var ids IDs
	ids.ID("a")
	if ids.Name(0) != "a" {
		t.Fatal("Name(0)")
	}
	ids.ID("b")
	ids.ID("c")
	if ids.Name(2) != "c" || ids.Name(1) != "b" || ids.Name(0) != "a" {
		t.Errorf("names %q %q %q", ids.Name(0), ids.Name(1), ids.Name(2))
	}
}
