// How long to wait before trying again after a transient answer (429, 503, a half-rendered page):
// exponential with a cap, and jitter so that many accounts throttled at once do not come back together.
using System;
using System.Threading;

namespace AlexaPrivacy.Pages
{
    internal static class Backoff
    {
        /// <summary>Tries in all (the first one included) before AlexaRateLimited.</summary>
        public const int MaxAttempts = 6;

        private static readonly ThreadLocal<Random> Source = new ThreadLocal<Random>(() => new Random(Guid.NewGuid().GetHashCode()));

        /// <summary>The wait after failed try number <paramref name="attempt"/> (1-based): about 0.8, 1.6, 3.2 s, then 5 s, each ±25 %.</summary>
        public static TimeSpan Delay(int attempt)
        {
            double baseMs = Math.Min(5000, 800 * Math.Pow(2, Math.Max(0, attempt - 1)));
            return TimeSpan.FromMilliseconds(baseMs * (0.75 + 0.5 * Source.Value.NextDouble()));
        }
    }
}
