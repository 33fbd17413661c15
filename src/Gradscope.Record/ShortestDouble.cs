using System.Globalization;

namespace Gradscope.Record;

/// <summary>
/// The shortest decimal that parses back to the same double, as UTF-8: what <c>double.TryFormat(…, "R")</c> gives
/// (except at powers of two, see below),
/// about three times faster for the values probes record (the metrics writer formats millions of them, and on a
/// two-core machine its thread competes with training).
/// <para>
/// v = m·2^e is scaled exactly to N = v·10^k·2^s = m·5^k with k chosen for 17 significant digits, in 128-bit
/// integers. A candidate of p digits d·10^(17−p) parses back to v exactly when it lies within half an ulp of v,
/// which in these units is |2·d·10^(17−p)·2^s − 2N| &lt; 5^k. More digits are never farther from v, so the shortest p
/// is found by bisection. Values whose scaled forms do not fit in 128 bits (below about 1e-13, at or above 1e16,
/// subnormals) go to the runtime's formatter; powers of two get its 17 significant digits ("G17"), because its
/// shortest form misses for a few of them (2^-25). Everything round-trips exactly.
/// </para>
/// </summary>
internal static class ShortestDouble
{
    private static readonly UInt128[] PowersOfFive = BuildPowers(5, 40);
    private static readonly ulong[] PowersOfTen = [.. BuildPowers(10, 20).Select(p => (ulong)p)];

    private static UInt128[] BuildPowers(int b, int count)
    {
        var p = new UInt128[count];
        p[0] = 1;
        for (int i = 1; i < count; i++) p[i] = p[i - 1] * (uint)b;
        return p;
    }

    /// <summary>Writes a finite <paramref name="value"/>; returns the bytes written (at most 32).</summary>
    public static int Format(double value, Span<byte> destination)
    {
        if (value == 0)
        {
            if (double.IsNegative(value))
            {
                "-0"u8.CopyTo(destination);
                return 2;
            }
            destination[0] = (byte)'0';
            return 1;
        }
        int n = 0;
        if (value < 0)
        {
            destination[n++] = (byte)'-';
            value = -value;
        }
        if (TryDigits(value, out ulong digits, out int count, out int exponent))
            return n + Write(digits, count, exponent, destination[n..]);
        // At a power of two the runtime's "R" text can miss (2^-25 parses to its neighbour): 17 digits never do.
        bool powerOfTwo = (BitConverter.DoubleToUInt64Bits(value) & ((1UL << 52) - 1)) == 0;
        value.TryFormat(destination[n..], out int w, powerOfTwo ? "G17" : "R", CultureInfo.InvariantCulture);
        return n + w;
    }

    /// <summary>The shortest round-tripping digits of a positive normal v: v ≈ d₁.d₂…d_count × 10^exponent.</summary>
    private static bool TryDigits(double v, out ulong digits, out int count, out int exponent)
    {
        digits = 0;
        count = 0;
        exponent = 0;
        ulong bits = BitConverter.DoubleToUInt64Bits(v);
        int biased = (int)(bits >> 52);
        // Powers of two are left to Format: their rounding interval is lopsided (half as wide below), where the
        // nearest candidate of a length can fall outside while the next one up is inside.
        if (biased <= 1 || biased == 0x7FF || (bits & ((1UL << 52) - 1)) == 0) return false;
        ulong m = (bits & ((1UL << 52) - 1)) | (1UL << 52);
        int e = biased - 1075;

        // log10 v lies in [E·log10 2, (E + 1)·log10 2) for v in [2^E, 2^(E+1)): this is its floor or one less.
        int e10 = ((biased - 1023) * 78913) >> 18;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            int k = 16 - e10, s = -(k + e);
            // N = m·5^k < 2^128 needs k ≤ 31; 4·N and c·2^(s+2) (c < 2^57) must fit too, so s ≤ 68.
            if (k < 0 || k > 31 || s < 1 || s > 68) return false;
            UInt128 five = PowersOfFive[k];
            UInt128 scaled = (UInt128)m * five;
            ulong whole = (ulong)(scaled >> s);
            UInt128 rest = scaled - ((UInt128)whole << s), half = UInt128.One << (s - 1);
            ulong d17 = whole + (rest > half || (rest == half && (whole & 1) == 1) ? 1UL : 0UL);
            // 17 digits means 10^16 ≤ d17 < 10^17; the estimate of e10 may be one short.
            if (d17 >= PowersOfTen[17]) { e10++; continue; }
            if (d17 < PowersOfTen[16]) { e10--; continue; }

            // A candidate c (in units of 10^(e10 − 16)) parses back to v when it lies strictly inside the rounding
            // interval, half an ulp either side (powers of two, lopsided, never come here). In units of 2^-(s+2).
            UInt128 four = scaled << 2;
            UInt128 low = four - (five << 1), high = four + (five << 1);
            ulong cLow = (ulong)(low >> (s + 2)) + 1, cHigh = (ulong)((high - 1) >> (s + 2));
            bool inexact = rest != 0;

            int lo = 1, hi = 17;
            ulong best = d17;
            while (lo < hi)
            {
                int p = (lo + hi) / 2;
                ulong unit = PowersOfTen[17 - p], d = whole / unit, r = whole - d * unit, halfUnit = unit / 2;
                // Rounded from the exact value (whole + rest/2^s), ties to even as the runtime rounds.
                if (r > halfUnit || (r == halfUnit && (inexact || (d & 1) == 1))) d++;
                ulong c = d * unit;
                if (c >= cLow && c <= cHigh)
                {
                    hi = p;
                    best = c;
                }
                else lo = p + 1;
            }
            exponent = e10;
            if (best >= PowersOfTen[17])
            {
                best /= 10;
                exponent++;
            }
            int length = 17;
            while (best % 10 == 0)
            {
                best /= 10;
                length--;
            }
            digits = best;
            count = length;
            return true;
        }
        return false;
    }

    /// <summary>digits (count of them) × 10^(exponent − count + 1), in plain notation for exponents −4 … 15, else as d.dddE±xx: the runtime's choices.</summary>
    private static int Write(ulong digits, int count, int exponent, Span<byte> d)
    {
        int n = 0;
        if (exponent >= count - 1 && exponent <= 15)
        {
            // An integer: its digits and zeros.
            WriteDigits(digits, count, d);
            n = count;
            for (int i = count; i <= exponent; i++) d[n++] = (byte)'0';
            return n;
        }
        if (exponent >= 0 && exponent <= 15)
        {
            // d…d.d…d: the digits, then the fraction moved one place right to make room for the point.
            WriteDigits(digits, count, d);
            int point = exponent + 1;
            d[point..count].CopyTo(d[(point + 1)..]);
            d[point] = (byte)'.';
            return count + 1;
        }
        if (exponent < 0 && exponent > -5)
        {
            d[n++] = (byte)'0';
            d[n++] = (byte)'.';
            for (int i = -1; i > exponent; i--) d[n++] = (byte)'0';
            WriteDigits(digits, count, d[n..]);
            return n + count;
        }
        WriteDigits(digits, count, d[1..]);
        d[0] = d[1];
        n = 1;
        if (count > 1)
        {
            d[1] = (byte)'.';
            n = count + 1;
        }
        d[n++] = (byte)'E';
        d[n++] = exponent < 0 ? (byte)'-' : (byte)'+';
        int magnitude = Math.Abs(exponent);
        if (magnitude >= 100) d[n++] = (byte)('0' + magnitude / 100);
        d[n++] = (byte)('0' + magnitude / 10 % 10);
        d[n++] = (byte)('0' + magnitude % 10);
        return n;
    }

    /// <summary>"00" … "99": two digits per division.</summary>
    private static ReadOnlySpan<byte> DigitPairs => "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"u8;

    /// <summary>Writes exactly <paramref name="count"/> decimal digits of <paramref name="value"/> (with leading zeros if short).</summary>
    internal static void WriteDigits(ulong value, int count, Span<byte> d)
    {
        int i = count;
        while (i >= 2)
        {
            ulong q = value / 100;
            int pair = (int)(value - q * 100) * 2;
            d[i - 1] = DigitPairs[pair + 1];
            d[i - 2] = DigitPairs[pair];
            value = q;
            i -= 2;
        }
        if (i == 1) d[0] = (byte)('0' + (int)(value % 10));
    }

    /// <summary>Decimal digits of a non-negative integer.</summary>
    internal static int DigitCount(ulong value)
    {
        int count = 1;
        while (count < 20 && value >= PowersOfTen[count]) count++;
        return count;
    }
}
