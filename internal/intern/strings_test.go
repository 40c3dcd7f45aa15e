package intern

import (
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// Strings gives back one string per distinct content, whichever entry point added it,
// across growth of the table and for keys shorter and longer than a slot's inline bytes.
func TestStrings(t *testing.T) {
	var tab Strings
	if tab.Bytes(nil) != "" || tab.String("") != "" || tab.Len() != 0 {
		t.Fatal("empty key")
	}
	first := make(map[string]string)
	long := strings.Repeat("x", 3*inlineLen)
	key := func(i int) string {
		switch i % 3 {
		case 0:
			return strconv.Itoa(i % 5000)
		case 1:
			return "user-" + strconv.Itoa(i%7000) + "-longer-than-inline"
		}
		return long[:i%len(long)] // the empty key and keys that share every prefix
	}
	for i := range 40000 {
		k := key(i)
		var got string
		if i%2 == 0 {
			got = tab.Bytes([]byte(k))
		} else {
			got = tab.String(k)
		}
		if got != k {
			t.Fatalf("key %q: got %q", k, got)
		}
		if k == "" {
			continue
		}
		if s, ok := first[k]; !ok {
			first[k] = got
		} else if !same(got, s) {
			t.Fatalf("key %q: a second copy", k)
		}
	}
	if tab.Len() != len(first) {
		t.Errorf("Len %d, want %d", tab.Len(), len(first))
	}
}

// String copies what it keeps, so that a substring does not keep its larger string alive.
func TestStringsCopies(t *testing.T) {
	var tab Strings
	big := strings.Repeat("ab", 100)
	if got := tab.String(big[:3]); same(got, big[:3]) {
		t.Error("String kept a substring of its argument")
	}
}

// same reports whether a and b are the same string in memory.
func same(a, b string) bool {
	return len(a) == len(b) && unsafe.StringData(a) == unsafe.StringData(b)
}

func FuzzStrings(f *testing.F) {
	f.Add([]byte("a,b,a,,user-1,user-1,abcdefghijklmnop,abcdefghijklmnoq"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var tab Strings
		seen := make(map[string]string)
		for k := range strings.SplitSeq(string(data), ",") {
			got := tab.Bytes([]byte(k))
			if got != k {
				t.Fatalf("%q: got %q", k, got)
			}
			if k == "" {
				continue
			}
			if s, ok := seen[k]; ok && !same(s, got) {
				t.Fatalf("%q: a second copy", k)
			} else if !ok {
				seen[k] = got
			}
		}
		if tab.Len() != len(seen) {
			t.Fatalf("Len %d, want %d", tab.Len(), len(seen))
		}
	})
}
