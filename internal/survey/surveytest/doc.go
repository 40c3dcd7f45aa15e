// Package surveytest holds the test logic that the tests of nps, csat and ces share, so
// that each package's tests keep only what is particular to its metric (its fields, its
// scales, its reference values):
//
//   - answers: drawn at random ([Answers], [SpreadWeights] with exact sums in [Exact]),
//     spaced over a scale ([Spaced]), expanded from counts ([Expand]); weights at and
//     beyond the bounds a tally accepts ([OutOfRangeWeights], [InvalidWeights],
//     [BoundWeights]);
//   - the bodies of the fuzz targets FuzzCompute, FuzzTallySplit and FuzzUnmarshalBinary
//     ([FuzzCompute], [FuzzSplit], [FuzzDecoded], with [SeedEncodings]), which decode
//     scores and weights from the fuzz bytes;
//   - checks of a Tally, generic over the package's Tally and Result types ([Tally]):
//     against Compute ([TallyAndCompute], [Fill]), refused answers ([CheckRefused]), nil
//     receivers ([CheckNil]), split and merge ([MergeParts]), binary round trips and
//     truncations ([RoundTrip]), filling to capacity ([FillUp]);
//   - the input errors every Compute reports ([InputErrorCases], [CheckErrorCases],
//     [CheckFirstBad], [CheckBadValues], [CheckStubbornSeq]);
//   - a Result's confidence levels and bootstrap ([CheckLevels], [CheckBootstrap],
//     [CheckResamples]);
//   - the benchmarks' data and loops ([BenchData], [BenchCompute], [BenchBootstrap],
//     [BenchIntervals], [Loop]).
//
// Only tests import it.
package surveytest
