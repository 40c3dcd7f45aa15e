package cxbeam

import (
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
)

// TestMain runs the pipelines of the tests on Beam's default local runner (prism); pass
// -runner=direct to use the legacy direct runner instead.
func TestMain(m *testing.M) { ptest.Main(m) }
