"""Generates the report's embedded sample data (deterministic; Python 3 standard library).

    python3 examples/report/testdata/generate.py

survey.csv   one NPS answer per respondent: respondent, region, month, score (0-10), weight
events.csv   an online shop's event log: user, event, time (RFC 3339), channel, value, device
moments.csv  support journeys as moments: journey, step, value (-5..5 valence), seconds,
             rating (the customer's retrospective 0-10 rating of the whole journey)
"""
import csv
import datetime as dt
import math
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20261125)


def survey():
    regions = {"north": (0.18, 0.30), "south": (0.28, 0.30), "west": (0.12, 0.28)}
    rows = []
    rid = 0
    for month in ("2026-09", "2026-10", "2026-11"):
        lift = {"2026-09": 0.0, "2026-10": 0.02, "2026-11": 0.05}[month]
        for region, (det, pas) in regions.items():
            for _ in range(rng.randint(110, 160)):
                rid += 1
                u = rng.random()
                if u < det - lift:
                    score = rng.randint(0, 6)
                elif u < det - lift + pas:
                    score = rng.randint(7, 8)
                else:
                    score = rng.randint(9, 10)
                weight = round(rng.choice((0.8, 1.0, 1.0, 1.2, 1.5)), 2)
                rows.append((f"r{rid:04d}", region, month, score, weight))
    with open(os.path.join(HERE, "survey.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(("respondent", "region", "month", "score", "weight"))
        w.writerows(rows)


def events():
    channels = ["search", "social", "email", "display", "direct"]
    conv = {"search": 0.12, "social": 0.06, "email": 0.15, "display": 0.04, "direct": 0.10}
    start = dt.datetime(2026, 6, 1, tzinfo=dt.timezone.utc)
    rows = []
    for uid in range(1, 801):
        user = f"u{uid:04d}"
        device = rng.choice(("mobile", "mobile", "desktop", "tablet"))
        t = start + dt.timedelta(days=rng.uniform(0, 150), hours=rng.uniform(8, 22))
        alive = True
        purchases = 0
        while alive and t < start + dt.timedelta(days=180):
            # a visit: one or more touchpoints, then maybe a funnel run
            ch = rng.choice(channels)
            rows.append((user, "visit", t, ch, "", device))
            for _ in range(rng.choice((0, 0, 1, 2))):
                t += dt.timedelta(minutes=rng.uniform(1, 20))
                rows.append((user, "view_product", t, "", "", device))
            p = conv[ch] * (2.5 if purchases else 1.0)
            if rng.random() < 0.45:
                t += dt.timedelta(minutes=rng.uniform(1, 15))
                rows.append((user, "add_to_cart", t, "", "", device))
                if rng.random() < 0.55:
                    t += dt.timedelta(minutes=rng.uniform(1, 30))
                    rows.append((user, "checkout", t, "", "", device))
                    if rng.random() < min(0.95, 0.5 + 4 * p):
                        t += dt.timedelta(minutes=rng.uniform(1, 10))
                        value = round(rng.lognormvariate(math.log(45), 0.5), 2)
                        rows.append((user, "purchase", t, "", f"{value}", device))
                        purchases += 1
            t += dt.timedelta(days=rng.expovariate(1 / 12))
            alive = rng.random() > 0.12
    rows.sort(key=lambda r: (r[2], r[0]))
    with open(os.path.join(HERE, "events.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(("user", "event", "time", "channel", "value", "device"))
        for user, ev, t, ch, val, dev in rows:
            w.writerow((user, ev, t.strftime("%Y-%m-%dT%H:%M:%SZ"), ch, val, dev))


def moments():
    rows = []
    for j in range(1, 121):
        n = rng.randint(3, 9)
        vals = [rng.gauss(0.5, 1.8) for _ in range(n)]
        if rng.random() < 0.3:
            vals[rng.randrange(n)] = rng.uniform(-5, -3)  # a bad moment
        vals = [max(-5.0, min(5.0, v)) for v in vals]
        secs = [rng.randint(20, 600) for _ in range(n)]
        peak = max(vals, key=abs)
        end = vals[-1]
        mean = sum(v * s for v, s in zip(vals, secs)) / sum(secs)
        rating = 5 + 0.45 * peak + 0.35 * end + 0.15 * mean + rng.gauss(0, 0.6)
        rating = round(max(0.0, min(10.0, rating)), 1)
        for k, (v, s) in enumerate(zip(vals, secs)):
            rows.append((f"j{j:03d}", k + 1, round(v, 2), s, rating))
    with open(os.path.join(HERE, "moments.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(("journey", "step", "value", "seconds", "rating"))
        w.writerows(rows)


survey()
events()
moments()
