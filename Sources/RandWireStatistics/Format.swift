// libm (FoundationEssentials has no math): the statistics make no system calls.
import CRandWireMath

/// Number formatting for summaries, without Foundation's formatters (locale-free, stable).
enum Format {
    /// `x` rounded to `places` decimals: 8.2, 0.61, 1500.
    static func fixed(_ x: Double, _ places: Int) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
        let scale = pow(10.0, Double(places))
        let scaled = (abs(x) * scale).rounded()
        guard scaled < 9e15 else { return scientific(x, 2) }
        let whole = Int(scaled) / Int(scale)
        let frac = Int(scaled) % Int(scale)
        let sign = x < 0 && scaled > 0 ? "-" : ""
        if places == 0 { return "\(sign)\(whole)" }
        var digits = String(frac)
        while digits.count < places { digits = "0" + digits }
        return "\(sign)\(whole).\(digits)"
    }

    /// `x` as mantissa and exponent with `significant` digits: 3.1e-12.
    static func scientific(_ x: Double, _ significant: Int) -> String {
        guard x != 0, x.isFinite else { return x == 0 ? "0" : fixed(x, 0) }
        var exponent = Int(floor(log10(abs(x))))
        var mantissa = x / pow(10.0, Double(exponent))
        let scale = pow(10.0, Double(significant - 1))
        mantissa = (mantissa * scale).rounded() / scale
        if abs(mantissa) >= 10 {
            mantissa /= 10
            exponent += 1
        }
        return "\(fixed(mantissa, significant - 1))e\(exponent)"
    }

    /// A value with about `significant` digits, fixed-point when that reads better.
    static func number(_ x: Double, _ significant: Int = 3) -> String {
        guard x.isFinite else { return fixed(x, 0) }
        if x == 0 { return "0" }
        let magnitude = abs(x)
        if magnitude >= 1e6 || magnitude < 1e-3 { return scientific(x, significant) }
        let digitsBeforePoint = Int(floor(log10(magnitude))) + 1
        return fixed(x, Swift.max(0, significant - digitsBeforePoint))
    }

    /// A p-value: two significant digits, scientific below 0.001, and "< 1e-300" at underflow.
    static func p(_ p: Double) -> String {
        if p <= 0 { return "< 1e-300" }
        if p >= 0.001 { return number(p, 2) }
        return scientific(p, 2)
    }

    /// A percentage with about two significant digits.
    static func percent(_ fraction: Double) -> String { number(fraction * 100, 2) + "%" }
}
