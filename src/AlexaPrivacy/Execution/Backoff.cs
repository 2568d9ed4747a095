// How long to wait before trying again after Amazon answered 429 or 503: exponential, with jitter
// so that many accounts throttled at once do not all come back at the same moment.
using System;
using System.Threading;

namespace AlexaPrivacy.Execution
{
    internal static class Backoff
    {
        /// <summary>Tries in all (the first one included) before AlexaRateLimited.</summary>
        public const int MaxAttempts = 4;

        private static readonly ThreadLocal<Random> Source = new ThreadLocal<Random>(() => new Random(Guid.NewGuid().GetHashCode()));

        /// <summary>The wait after failed try number <paramref name="attempt"/> (1-based): about 1 s, 2 s, 4 s, each ±25 %.</summary>
        public static TimeSpan Delay(int attempt)
        {
            double baseMs = 1000 * Math.Pow(2, Math.Max(0, attempt - 1));
            return TimeSpan.FromMilliseconds(baseMs * (0.75 + 0.5 * Source.Value.NextDouble()));
        }
    }
}
