namespace Gradscope.Data;

/// <summary>
/// Skeletons of the ten digits, two or three handwriting styles each, as polylines in a unit box
/// (x right, y down, the digit spanning y ∈ [0, 1] and roughly x ∈ [0.15, 0.85]). Curves are flattened once here
/// so rendering only ever sees straight segments.
/// </summary>
internal static class DigitGlyphs
{
    /// <summary>Styles[digit][variant][stroke] = polyline as (x, y) pairs.</summary>
    public static readonly (double X, double Y)[][][][] Styles = Build();

    private static (double X, double Y)[][][][] Build() =>
    [
        // 0: a plain oval; a narrower one whose end overshoots the start, as a pen often does.
        [
            [Path(Arc(0.5, 0.5, 0.3, 0.48, -90, 270))],
            [Path(Arc(0.5, 0.5, 0.24, 0.48, -110, 265))],
        ],
        // 1: a bare stick; with an entry flag; with flag and base.
        [
            [Path(Line(0.5, 0.0, 0.5, 1.0))],
            [Path(Line(0.32, 0.2, 0.55, 0.0), Line(0.55, 0.0, 0.55, 1.0))],
            [Path(Line(0.32, 0.2, 0.55, 0.0), Line(0.55, 0.0, 0.55, 1.0)), Path(Line(0.3, 1.0, 0.8, 1.0))],
        ],
        // 2: round hook with a straight neck; swan neck that curls into the base.
        [
            [Path(Arc(0.5, 0.28, 0.3, 0.27, 200, 380), Line(0.78, 0.37, 0.18, 1.0), Line(0.18, 1.0, 0.85, 1.0))],
            [Path(Arc(0.48, 0.27, 0.27, 0.26, 195, 360), Bezier(0.75, 0.27, 0.75, 0.55, 0.35, 0.7, 0.2, 0.98), Bezier(0.2, 0.98, 0.35, 0.88, 0.5, 0.95, 0.85, 0.97))],
        ],
        // 3: two bowls; flat top with a diagonal into one bowl.
        [
            [Path(Arc(0.5, 0.26, 0.26, 0.25, 200, 440), Arc(0.48, 0.74, 0.3, 0.26, 265, 520))],
            [Path(Line(0.2, 0.0, 0.8, 0.0), Line(0.8, 0.0, 0.45, 0.4), Arc(0.48, 0.68, 0.31, 0.3, 250, 515))],
        ],
        // 4: closed (one stroke); open with a separate stem.
        [
            [Path(Line(0.66, 1.0, 0.66, 0.0), Line(0.66, 0.0, 0.12, 0.68), Line(0.12, 0.68, 0.88, 0.68))],
            [Path(Line(0.24, 0.0, 0.18, 0.6), Line(0.18, 0.6, 0.86, 0.6)), Path(Line(0.68, 0.15, 0.68, 1.0))],
        ],
        // 5: one stroke with the flag last; flag as its own stroke.
        [
            [Path(Line(0.8, 0.0, 0.3, 0.0), Line(0.3, 0.0, 0.26, 0.45), Arc(0.48, 0.7, 0.31, 0.29, 225, 515))],
            [Path(Line(0.3, 0.02, 0.25, 0.47), Arc(0.47, 0.71, 0.3, 0.28, 228, 520)), Path(Line(0.3, 0.02, 0.82, 0.0))],
        ],
        // 6: curved stem into a loop; straight stem into a loop.
        [
            [Path(Bezier(0.72, 0.0, 0.42, 0.12, 0.2, 0.42, 0.22, 0.72), Arc(0.5, 0.72, 0.28, 0.27, 180, 540))],
            [Path(Line(0.66, 0.0, 0.25, 0.66), Arc(0.5, 0.73, 0.26, 0.26, 195, 555))],
        ],
        // 7: plain; with a crossbar; with a curved stem.
        [
            [Path(Line(0.16, 0.02, 0.84, 0.0), Line(0.84, 0.0, 0.42, 1.0))],
            [Path(Line(0.16, 0.02, 0.84, 0.0), Line(0.84, 0.0, 0.42, 1.0)), Path(Line(0.4, 0.5, 0.78, 0.48))],
            [Path(Line(0.16, 0.0, 0.84, 0.02), Bezier(0.84, 0.02, 0.6, 0.3, 0.5, 0.6, 0.5, 1.0))],
        ],
        // 8: two stacked loops; one continuous figure-eight.
        [
            [Path(Arc(0.5, 0.25, 0.22, 0.24, 90, 450)), Path(Arc(0.5, 0.73, 0.29, 0.26, -90, 270))],
            [Path(Bezier(0.72, 0.12, 0.55, -0.1, 0.15, 0.05, 0.3, 0.3), Bezier(0.3, 0.3, 0.45, 0.5, 0.85, 0.6, 0.78, 0.82),
                  Bezier(0.78, 0.82, 0.7, 1.07, 0.22, 1.05, 0.22, 0.8), Bezier(0.22, 0.8, 0.22, 0.6, 0.75, 0.45, 0.7, 0.22),
                  Line(0.7, 0.22, 0.72, 0.12))],
        ],
        // 9: loop with a straight stem; loop with a curved tail.
        [
            [Path(Arc(0.48, 0.28, 0.28, 0.27, 0, 360), Line(0.76, 0.28, 0.72, 1.0))],
            [Path(Arc(0.5, 0.28, 0.27, 0.26, 10, 370), Bezier(0.77, 0.32, 0.78, 0.7, 0.62, 0.95, 0.3, 0.98))],
        ],
    ];

    private static (double X, double Y)[] Path(params (double X, double Y)[][] pieces)
    {
        var points = new List<(double X, double Y)>();
        foreach (var piece in pieces)
        {
            foreach (var p in piece)
            {
                // Pieces share their joints; a zero-length segment would only cost time.
                if (points.Count > 0 && Math.Abs(points[^1].X - p.X) + Math.Abs(points[^1].Y - p.Y) < 1e-9) continue;
                points.Add(p);
            }
        }
        return [.. points];
    }

    private static (double X, double Y)[] Line(double x0, double y0, double x1, double y1) => [(x0, y0), (x1, y1)];

    /// <summary>Elliptic arc; angles in degrees, 0 = +x, 90 = +y (down), so increasing angles run clockwise on screen.</summary>
    private static (double X, double Y)[] Arc(double cx, double cy, double rx, double ry, double fromDeg, double toDeg)
    {
        // About one segment per 20°: under 2 px of chord error at 20 px glyph height, invisible after anti-aliasing.
        int n = Math.Max(2, (int)Math.Ceiling(Math.Abs(toDeg - fromDeg) / 20));
        var points = new (double X, double Y)[n + 1];
        for (int i = 0; i <= n; i++)
        {
            double a = (fromDeg + (toDeg - fromDeg) * i / n) * Math.PI / 180;
            points[i] = (cx + rx * Math.Cos(a), cy + ry * Math.Sin(a));
        }
        return points;
    }

    private static (double X, double Y)[] Bezier(double x0, double y0, double x1, double y1, double x2, double y2, double x3, double y3)
    {
        const int n = 8;
        var points = new (double X, double Y)[n + 1];
        for (int i = 0; i <= n; i++)
        {
            double t = i / (double)n, u = 1 - t;
            double b0 = u * u * u, b1 = 3 * u * u * t, b2 = 3 * u * t * t, b3 = t * t * t;
            points[i] = (b0 * x0 + b1 * x1 + b2 * x2 + b3 * x3, b0 * y0 + b1 * y1 + b2 * y2 + b3 * y3);
        }
        return points;
    }
}
