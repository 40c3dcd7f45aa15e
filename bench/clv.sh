#!/usr/bin/env bash
# Fit the BG/NBD model to the CDNOW summary with journey/clv (Go) and with scipy's BFGS on
# a vectorized numpy log-likelihood, one after the other, and print both times.
# Needs ../shared/data/cdnow_summary.csv next to the module root and /usr/bin/python3
# with numpy and scipy.
set -euo pipefail
cd "$(dirname "$0")/.."
count="${COUNT:-5}"
echo "== Go: journey/clv FitBGNBD (-count $count)"
go test -run '^$' -bench 'FitBGNBDCDNOW|FitGammaGammaCDNOW' -benchmem -count "$count" ./journey/clv/
echo "== scipy: bench/clv_scipy.py"
/usr/bin/python3 bench/clv_scipy.py ../shared/data/cdnow_summary.csv 30
