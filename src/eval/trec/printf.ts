/**
 * C's `printf("%.Nf", x)` as glibc prints it: the exact binary value rounded to N decimals, exact
 * ties to even. `Number.prototype.toFixed` is also exact but breaks exact ties upwards. A value
 * lies exactly halfway only when it is an odd multiple of 2^-(N+1) (for N = 4: 0.03125, …),
 * because 10^N·x + 1/2 must be dyadic; multiplying by a power of two is exact, so the test is too.
 */
export function printfFixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return x < 0 ? "-nan" : "nan";
  if (x === Number.POSITIVE_INFINITY) return "inf";
  if (x === Number.NEGATIVE_INFINITY) return "-inf";
  if (Object.is(x, -0)) return `-${(0).toFixed(digits)}`;
  const halves = x * 2 ** (digits + 1);
  if (Number.isInteger(halves) && Math.abs(halves) % 2 === 1) {
    const scaled = Math.abs(x) * 10 ** digits;
    const low = Math.floor(scaled);
    const even = low % 2 === 0 ? low : low + 1;
    const text = (even / 10 ** digits).toFixed(digits);
    return x < 0 ? `-${text}` : text;
  }
  return x.toFixed(digits);
}
