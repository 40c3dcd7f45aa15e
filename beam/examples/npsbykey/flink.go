//go:build flink

package main

import _ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/flink"

// With the tag flink the command submits the pipeline to a Flink cluster through Beam's
// Flink job server (-runner=flink -endpoint=HOST:PORT).
func init() { linked["flink"], linked["FlinkRunner"] = true, true }
