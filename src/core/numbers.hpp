#pragma once

#include <cmath>

namespace folio {

// std::llround, without the call into libm where the result is plain: for |v| < 2^52
// the truncation and the fraction left are exact, and half rounds away from zero as
// llround's does. The PDF writer rounds every glyph's place with it (a call into
// libm each time was 1 % of a PDF build).
inline long long round_to_integer(double v) {
    if (!(std::abs(v) < 0x1p52)) return std::llround(v);  // huge, infinite or NaN
    auto whole = static_cast<long long>(v);
    const double fraction = v - static_cast<double>(whole);
    if (fraction >= 0.5) ++whole;
    if (fraction <= -0.5) --whole;
    return whole;
}

}  // namespace folio
