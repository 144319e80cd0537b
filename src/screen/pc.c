/*
 * pc.c — collision probability of a short-term encounter: the 2-D Gaussian
 * integral over the hard-body disk (the place for real covariances) and its
 * maximum over the size of an isotropic covariance (what apsco reports as
 * max_pc when, as with TLEs, no covariance is known).
 *
 * Not for: long-term (non-linear) encounters or covariance propagation.
 */
#include <math.h>
#include <stddef.h>

#include "apsco/screen.h"

/* Gauss-Legendre nodes and weights on [-1, 1], computed once per call site size. */
static void gauss_legendre(int n, double *x, double *w)
{
    /* Newton on P_n from the Tricomi initial guess (Abramowitz & Stegun 25.4.29). */
    for (int i = 0; i < (n + 1) / 2; i++) {
        double z = cos(M_PI * (i + 0.75) / (n + 0.5)), dp = 1.0;
        for (int it = 0; it < 100; it++) {
            double p0 = 1.0, p1 = z;
            for (int k = 2; k <= n; k++) {
                double p2 = ((2.0 * k - 1.0) * z * p1 - (k - 1.0) * p0) / k;
                p0 = p1;
                p1 = p2;
            }
            dp = n * (z * p1 - p0) / (z * z - 1.0);
            double dz = p1 / dp;
            z -= dz;
            if (fabs(dz) < 1e-15)
                break;
        }
        x[i] = -z;
        x[n - 1 - i] = z;
        w[i] = w[n - 1 - i] = 2.0 / ((1.0 - z * z) * dp * dp);
    }
}

/*
 * Foster & Estes (1992), Chan (1997): Pc = (1 / (2 pi sqrt|C|)) * integral
 * over the disk |p| <= R of exp(-(p - m)^T C^-1 (p - m) / 2). Polar
 * coordinates centred on the disk: Gauss-Legendre in the radius, the
 * trapezoidal rule in the angle (exact to rounding for a periodic smooth
 * integrand once the points resolve it).
 */
double apsco_pc_2d(double x_km, double y_km, double cxx_km2, double cxy_km2, double cyy_km2,
                   double hbr_km)
{
    enum { NR = 48, NT = 192 };
    double det = cxx_km2 * cyy_km2 - cxy_km2 * cxy_km2;
    if (!(hbr_km > 0) || !(cxx_km2 > 0) || !(det > 0))
        return NAN;
    double ixx = cyy_km2 / det, ixy = -cxy_km2 / det, iyy = cxx_km2 / det;
    double gx[NR], gw[NR];
    gauss_legendre(NR, gx, gw);
    double sum = 0.0;
    for (int i = 0; i < NR; i++) {
        double r = 0.5 * hbr_km * (gx[i] + 1.0), ring = 0.0;
        for (int k = 0; k < NT; k++) {
            double th = 2.0 * M_PI * k / NT;
            double px = r * cos(th) - x_km, py = r * sin(th) - y_km;
            ring += exp(-0.5 * (ixx * px * px + 2.0 * ixy * px * py + iyy * py * py));
        }
        sum += gw[i] * r * ring * (2.0 * M_PI / NT);
    }
    return sum * 0.5 * hbr_km / (2.0 * M_PI * sqrt(det));
}

/*
 * Isotropic case: with u = d^2 / (2 sigma^2) and v = R^2 / (2 sigma^2),
 * |p - m|^2 / sigma^2 is non-central chi-square with 2 degrees of freedom
 * and non-centrality 2u, so Pc = sum_n e^-u u^n / n! * P(n + 1, v), P the
 * regularised lower incomplete gamma function (Johnson, Kotz & Balakrishnan,
 * Continuous Univariate Distributions 2, eq. 29.2). P(n + 1, v) is summed as
 * the tail e^-v sum_{k > n} v^k / k!, all terms positive.
 */
static double pc_isotropic(double u, double v)
{
    enum { KMAX = 600 };
    if (u > 500.0)
        return 0.0;
    int kmax = (int)(u + v + 12.0 * sqrt(u + v + 1.0) + 40.0);
    if (kmax > KMAX)
        kmax = KMAX;
    double tail[KMAX + 2];
    /* t_k = e^-v v^k / k! in logarithms, then suffix sums from the top. */
    double s = 0.0;
    tail[kmax + 1] = 0.0;
    for (int k = kmax; k >= 0; k--) {
        double lt = -v + (k > 0 ? k * log(v) : 0.0) - lgamma(k + 1.0);
        s += exp(lt);
        tail[k] = s;
    }
    double pc = 0.0;
    for (int n = 0; n < kmax; n++) {
        double lw = -u + (n > 0 ? n * log(u) : 0.0) - lgamma(n + 1.0);
        pc += exp(lw) * tail[n + 1];
    }
    return pc > 1.0 ? 1.0 : pc;
}

/*
 * Alfano (2005): for an isotropic covariance the probability rises from 0
 * (sigma -> 0, the disk does not hold the mean) to a single maximum and
 * falls back to 0 (sigma -> infinity, dilution). For a small disk, Pc ~ v
 * e^-u (1 + (u - 1) v / 2 + O(v^2)), maximal at u = 1 where the first
 * correction vanishes: Pc_max = (R/d)^2 / e (1 + O((R/d)^4)). Otherwise a
 * golden-section search on ln sigma over the series above.
 */
double apsco_pc_max(double miss_km, double hbr_km, double *sigma_km)
{
    if (sigma_km)
        *sigma_km = 0.0;
    if (!(hbr_km > 0) || !(miss_km >= 0))
        return NAN;
    if (miss_km < hbr_km)
        return 1.0;
    double rho = (hbr_km / miss_km) * (hbr_km / miss_km);
    if (rho < 1e-3) {
        if (sigma_km)
            *sigma_km = miss_km / sqrt(2.0);
        return rho / exp(1.0);
    }
    double d2 = miss_km * miss_km, r2 = hbr_km * hbr_km;
    const double g = 0.5 * (sqrt(5.0) - 1.0);
    double a = log(1e-3 * hbr_km), b = log(10.0 * miss_km);
    double x1 = b - g * (b - a), x2 = a + g * (b - a);
    double f1 = pc_isotropic(d2 / (2.0 * exp(2.0 * x1)), r2 / (2.0 * exp(2.0 * x1)));
    double f2 = pc_isotropic(d2 / (2.0 * exp(2.0 * x2)), r2 / (2.0 * exp(2.0 * x2)));
    while (b - a > 1e-7) {
        if (f1 < f2) {
            a = x1;
            x1 = x2;
            f1 = f2;
            x2 = a + g * (b - a);
            f2 = pc_isotropic(d2 / (2.0 * exp(2.0 * x2)), r2 / (2.0 * exp(2.0 * x2)));
        } else {
            b = x2;
            x2 = x1;
            f2 = f1;
            x1 = b - g * (b - a);
            f1 = pc_isotropic(d2 / (2.0 * exp(2.0 * x1)), r2 / (2.0 * exp(2.0 * x1)));
        }
    }
    double x = 0.5 * (a + b);
    if (sigma_km)
        *sigma_km = exp(x);
    return pc_isotropic(d2 / (2.0 * exp(2.0 * x)), r2 / (2.0 * exp(2.0 * x)));
}
