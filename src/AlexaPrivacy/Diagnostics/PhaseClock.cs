// Where an account's time goes: the phases of one account's work (waiting for a slot, the browser
// context, the sign-in steps, the first page, reading, each change and its verification, closing),
// timed as laps. The clock flows with the account's async work (AsyncLocal), so the layers below
// mark a lap with PhaseClock.Lap("name") without knowing who is timing; nothing is timed when no
// clock runs. One -Verbose line per account, "Phases of <account> (ms): slot=.. context=.. total=..",
// which tools/Benchmark.ps1 reads.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;

namespace AlexaPrivacy.Diagnostics
{
    internal sealed class PhaseClock
    {
        private static readonly AsyncLocal<PhaseClock> CurrentClock = new AsyncLocal<PhaseClock>();
        private readonly object _sync = new object();
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly List<KeyValuePair<string, double>> _phases = new List<KeyValuePair<string, double>>();
        private readonly double _waited;
        private double _last;

        private PhaseClock(double waitedMs)
        {
            _waited = waitedMs;
            if (waitedMs >= 0) _phases.Add(new KeyValuePair<string, double>("slot", waitedMs));
        }

        public static PhaseClock Current => CurrentClock.Value;

        /// <summary>Starts the clock of the account whose work runs in this async flow; <paramref name="waitedMs"/> is its time in the queue.</summary>
        public static PhaseClock Begin(double waitedMs)
        {
            var clock = new PhaseClock(waitedMs);
            CurrentClock.Value = clock;
            return clock;
        }

        /// <summary>Ends the current phase: the time since the last lap counts for <paramref name="phase"/> (added up when it repeats).</summary>
        public static void Lap(string phase) => Current?.Add(phase);

        private void Add(string phase)
        {
            lock (_sync)
            {
                double now = _clock.Elapsed.TotalMilliseconds;
                double spent = now - _last;
                _last = now;
                int i = _phases.FindIndex(p => p.Key == phase);
                if (i >= 0) _phases[i] = new KeyValuePair<string, double>(phase, _phases[i].Value + spent);
                else _phases.Add(new KeyValuePair<string, double>(phase, spent));
            }
        }

        /// <summary>The phases so far, in the order they first ended, with the rest as "other" and the total (queue wait included).</summary>
        public IReadOnlyList<KeyValuePair<string, double>> Phases()
        {
            lock (_sync)
            {
                var result = new List<KeyValuePair<string, double>>(_phases);
                double rest = _clock.Elapsed.TotalMilliseconds - _last;
                int other = result.FindIndex(p => p.Key == "other");
                if (other >= 0) result[other] = new KeyValuePair<string, double>("other", result[other].Value + rest);
                else result.Add(new KeyValuePair<string, double>("other", rest));
                result.RemoveAll(p => p.Key == "other" && p.Value < 0.5);
                result.Add(new KeyValuePair<string, double>("total", Math.Max(0, _waited) + _clock.Elapsed.TotalMilliseconds));
                return result;
            }
        }

        public string Describe(string account) =>
            $"Phases of {account} (ms): " + string.Join(" ", Phases().Select(p => p.Key.Replace(' ', '-') + "=" + Math.Round(p.Value).ToString(CultureInfo.InvariantCulture)));
    }
}
