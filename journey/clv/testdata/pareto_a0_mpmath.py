"""ln A0 of the Pareto/NBD likelihood (Fader, Hardie & Lee 2005, "A Note on Implementing
the Pareto/NBD Model in MATLAB", eq. 1) at 60 digits with mpmath: A0 = (r+s+x) times the
integral of (alpha+tau)^-(r+x) (beta+tau)^-(s+1) over [t_x, T], by mpmath.quad split at
points that resolve the peak at t_x, and checked against the paper's 2F1 difference."""
import itertools, sys
import mpmath as mp
mp.mp.dps = 60
rs = ["0.05", "0.55", "1", "3", "20"]
ss = ["0.05", "0.6", "1", "5", "50"]
xs = ["0", "1", "7", "60"]
ab = [("10.58", "11.67"), ("0.2", "4.2"), ("0.01", "100"), ("100", "0.01"), ("5", "5"), ("1", "10000"), ("3", "3.0000001"), ("0.02", "2000")]
tt = [("0", "1"), ("0.05", "1"), ("0.5", "0.51"), ("2", "39"), ("30.43", "38.86"), ("0.001", "0.3")]
print("# r,alpha,s,beta,x,t_x,T,ln A0 (mpmath 1.2.1, 60 digits: quad of the integral form, agreeing with the 2F1 difference to 1e-25)")
for r, s, x, (al, be), (tx, T) in itertools.product(rs, ss, xs, ab, tt):
    R, S, X, A, B, TX, TT = map(mp.mpf, (r, s, x, al, be, tx, T))
    f = lambda tau: (A + tau) ** (-(R + X)) * (B + tau) ** (-(S + 1))
    # split geometrically from t_x so that a sharp peak there is resolved
    pts = [TX]
    w = mp.mpf("1e-8") * (1 + TX)
    while TX + w < TT:
        pts.append(TX + w)
        w *= 4
    pts.append(TT)
    I = mp.quad(f, pts)
    a = R + S + X
    A0 = a * I
    m = max(A, B)
    bb = S + 1 if A >= B else R + X
    h = lambda t: mp.hyp2f1(a, bb, a + 1, abs(A - B) / (m + t)) / (m + t) ** a
    A0h = h(TX) - h(TT)
    if abs(A0h - A0) > mp.mpf("1e-25") * A0:
        sys.stderr.write("disagree %s %s %s\n" % ((r, al, s, be, x, tx, T), A0, A0h))
        continue
    print(",".join([r, al, s, be, x, tx, T, mp.nstr(mp.log(A0), 20)]))
