// Which voice records a command means (-After, -Before, -Device, -Contains), as instants the
// page's data request takes and as a test for each record it returns.
using System;
using System.Linq;
using System.Threading.Tasks;
using AlexaPrivacy.Pages;

namespace AlexaPrivacy.Execution
{
    internal sealed class VoiceHistoryQuery
    {
        public DateTimeOffset? After { get; set; }
        public DateTimeOffset? Before { get; set; }
        public string Device { get; set; }
        public string Contains { get; set; }

        public static VoiceHistoryQuery From(DateTime? after, DateTime? before, string device, string contains)
        {
            var query = new VoiceHistoryQuery
            {
                After = after.HasValue ? ToInstant(after.Value) : (DateTimeOffset?)null,
                Before = before.HasValue ? ToInstant(before.Value) : (DateTimeOffset?)null,
                Device = string.IsNullOrWhiteSpace(device) ? null : device.Trim(),
                Contains = string.IsNullOrEmpty(contains) ? null : contains,
            };
            if (query.After.HasValue && query.Before.HasValue && query.After.Value >= query.Before.Value)
            {
                throw AlexaException.InvalidInput($"-After ({TimeText.Format(query.After.Value)}) must be earlier than -Before ({TimeText.Format(query.Before.Value)}).");
            }
            return query;
        }

        // A date without a kind (typed at the console, read from a CSV) means this computer's local time.
        private static DateTimeOffset ToInstant(DateTime value) =>
            value.Kind == DateTimeKind.Utc ? new DateTimeOffset(value) : new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Local));

        /// <summary>First millisecond asked for (inclusive): -After itself.</summary>
        public long StartMs => After?.ToUnixTimeMilliseconds() ?? 0;

        /// <summary>Last millisecond asked for (inclusive): just before -Before, else a day from now so nothing recent is missed.</summary>
        public long EndMs => Before.HasValue ? Before.Value.ToUnixTimeMilliseconds() - 1 : DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeMilliseconds();

        public bool Matches(AlexaVoiceRecord record)
        {
            if (record.TimestampMs < StartMs || record.TimestampMs > EndMs) return false;
            if (Device != null && !string.Equals(record.Device, Device, StringComparison.OrdinalIgnoreCase)) return false;
            if (Contains != null
                && (record.Transcript == null || record.Transcript.IndexOf(Contains, StringComparison.OrdinalIgnoreCase) < 0)
                && (record.Response == null || record.Response.IndexOf(Contains, StringComparison.OrdinalIgnoreCase) < 0))
            {
                return false;
            }
            return true;
        }

        /// <summary>
        /// Warns when -Device names no device of the account (a typo matches nothing, silently
        /// otherwise), from the page's own device filter; remembers the devices for Tab completion.
        /// </summary>
        public async Task CheckDeviceAsync(VoiceHistoryPage page, AccountWork work)
        {
            if (Device == null) return;
            var choices = await page.DeviceChoicesAsync();
            foreach (var choice in choices) work.Session.KnownDevices[choice] = true;
            if (choices.Any(c => string.Equals(c, Device, StringComparison.OrdinalIgnoreCase))) return;
            work.WriteWarning($"{work.Session.Account} has no device named '{Device}', so no record matches it. Its devices: {(choices.Count == 0 ? "none" : string.Join(", ", choices))}.");
        }

        /// <summary>Streams the matching records of one account, newest first, waiting for the pipeline after each page; returns how many.</summary>
        public async Task<int> StreamAsync(AccountWork work, int first, Action<AlexaVoiceRecord> emit)
        {
            var page = await VoiceHistoryPage.OpenAsync(work.Session, work.WriteVerbose, work.Cancel);
            await CheckDeviceAsync(page, work);
            int count = 0;
            var known = work.Session.KnownDevices;
            await page.ReadAsync(StartMs, EndMs, async records =>
            {
                foreach (var record in records)
                {
                    if (!string.IsNullOrEmpty(record.Device)) known[record.Device] = true;
                    if (!Matches(record)) continue;
                    emit(record);
                    if (++count >= first) return false;
                }
                await work.FlushAsync();
                return true;
            });
            return count;
        }
    }
}
