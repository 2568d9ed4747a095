// Deletes chosen voice records through the "Review Voice History" page like a person (the
// filters and "Delete all of my recordings" when they show exactly the targets, else each
// record's own button), then reads the history again to check that exactly those are gone.
// Shared by Remove-AlexaVoiceHistory and Set-AlexaPrivacyPolicy.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using AlexaPrivacy.Pages;

namespace AlexaPrivacy.Execution
{
    internal static class VoiceHistoryDeletion
    {
        /// <summary>
        /// Deletes <paramref name="targets"/> (newest first, at least one) and fills Deleted, Remaining
        /// and Method of <paramref name="result"/>. <paramref name="before"/> is what the range held
        /// before (null for piped records). Appends an audit line before deleting and one once the re-read confirmed it, and
        /// returns the errors to report for the account after the result.
        /// </summary>
        public static async Task<List<AlexaException>> DeleteAsync(AccountWork work, VoiceHistoryPage page, VoiceHistoryQuery range,
            List<AlexaVoiceRecord> targets, List<AlexaVoiceRecord> before, AlexaVoiceDeletion result)
        {
            var session = work.Session;
            var errors = new List<AlexaException>();
            AlexaException failure = null;
            long spanStart, spanEnd;
            // Before the page deletes anything: a run stopped meanwhile keeps this line (the log never holds less than Amazon).
            var sent = work.AuditBeforeSending(AuditEntries.Deleting(session.Account, session.Marketplace, targets.Count, targets[targets.Count - 1].Time, targets[0].Time));
            try
            {
                var filter = range == null ? null : await RangeAsFilterAsync(page, range, targets);
                // The filter ends before today (see RangeAsFilterAsync): today's targets are deleted one by one after it.
                var filtered = filter == null ? targets : targets.Where(t => t.TimestampMs < filter.Value.Until).ToList();
                var today = filter == null ? new List<AlexaVoiceRecord>() : targets.Where(t => t.TimestampMs >= filter.Value.Until).ToList();
                int shown = filter == null ? -1 : await page.FilterAsync(filter.Value.StartDay, filter.Value.EndDay, filter.Value.Device);
                if (filter != null && shown == filtered.Count)
                {
                    work.WriteVerbose($"The page's filters show exactly the {shown} record(s) of {session.Account}; deleting them with the page's button for all shown records.");
                    result.Method = "Filter";
                    await page.DeleteAllShownAsync();
                    (spanStart, spanEnd) = (range.StartMs, range.EndMs);
                    if (today.Count > 0)
                    {
                        work.WriteVerbose($"Deleting the {today.Count} record(s) of today one by one: a filter on today would also take what Alexa records meanwhile.");
                        var days = await DeleteEachAsync(page, today, before, work);
                        (spanStart, spanEnd) = (Math.Min(spanStart, days.Start), Math.Max(spanEnd, days.End));
                    }
                }
                else
                {
                    if (filter != null) work.WriteVerbose($"The page's filters show {shown} record(s), not the {targets.Count} asked for; deleting one by one instead.");
                    result.Method = "PerRecord";
                    var days = await DeleteEachAsync(page, targets, before == null ? (before = new List<AlexaVoiceRecord>()) : null, work);
                    spanStart = days.Start;
                    spanEnd = days.End;
                    if (range != null) (spanStart, spanEnd) = (Math.Min(spanStart, range.StartMs), Math.Max(spanEnd, range.EndMs));
                }
            }
            catch (AlexaException e)
            {
                failure = e;
                // The page as it was when the deletion stopped: the re-read below does not change what it shows.
                if (failure.ScreenshotPath == null) failure.ScreenshotPath = await page.CaptureAsync("deletion stopped");
                var bounds = await page.LocalDaysAsync(new[] { targets[targets.Count - 1].TimestampMs, targets[0].TimestampMs });
                spanStart = (await page.DayBoundsAsync(bounds[0])).Start;
                spanEnd = (await page.DayBoundsAsync(bounds[1])).End;
                if (range != null) (spanStart, spanEnd) = (Math.Min(spanStart, range.StartMs), Math.Max(spanEnd, range.EndMs));
            }

            // Read again what Amazon kept: every target must be gone, and every other record still there.
            var left = new HashSet<string>(StringComparer.Ordinal);
            await page.ReadAsync(spanStart, spanEnd, records => { foreach (var r in records) left.Add(r.Key); return Task.FromResult(true); });
            var targetKeys = new HashSet<string>(targets.Select(t => t.Key), StringComparer.Ordinal);
            result.Remaining = targets.Where(t => left.Contains(t.Key)).Select(t => t.Key).ToArray();
            result.Deleted = targets.Count - result.Remaining.Length;
            var collateral = (before ?? new List<AlexaVoiceRecord>())
                .Where(r => !targetKeys.Contains(r.Key) && r.TimestampMs >= spanStart && r.TimestampMs <= spanEnd && !left.Contains(r.Key))
                .Select(r => r.Key).ToList();

            if (result.Remaining.Length > 0)
            {
                errors.Add(new AlexaException(AlexaErrorId.ChangeNotPersisted, ErrorCategory.InvalidResult,
                    $"{result.Remaining.Length} of {targets.Count} voice record(s) of {session.Account} are still there after the deletion (the Remaining property of the output holds their keys)."
                    + (failure == null ? "" : $" The deletion stopped because: {failure.Message}"), failure)
                {
                    ScreenshotPath = failure?.ScreenshotPath ?? await page.CaptureAsync("records remain"),
                    RecommendedAction = AdviceFor(failure),
                });
            }
            else if (failure != null)
            {
                errors.Add(failure);
            }
            if (collateral.Count > 0)
            {
                errors.Add(new AlexaException(AlexaErrorId.ChangeNotPersisted, ErrorCategory.InvalidResult,
                    $"{collateral.Count} voice record(s) of {session.Account} that were not asked for are gone too: {KeyList(collateral)}.")
                { RecommendedAction = "Compare with the backup (-BackupPath) and report the page's behaviour." });
            }
            if (result.Deleted > 0)
            {
                var gone = targets.Where(t => !left.Contains(t.Key)).ToList();
                work.Audit(AuditEntries.Deletion(result, session.Marketplace, gone[gone.Count - 1].Time, gone[0].Time, sent));
            }
            return errors;
        }

        /// <summary>What to do about records that remain, by what stopped the deletion: not "run it again" where that fails the same way.</summary>
        private static string AdviceFor(AlexaException failure)
        {
            if (failure == null)
            {
                return "Amazon answered every deletion yet still lists these records; it may apply deletions late. Read the history again in a few minutes: "
                    + "a new run deletes only what is still there. If they stay, delete them in the Alexa app and report the page's behaviour.";
            }
            switch (failure.ErrorId)
            {
                case AlexaErrorId.Timeout:
                case AlexaErrorId.RateLimited:
                    return "Amazon was slow or throttled the page: run the command again later (it deletes only what is still there), "
                        + "or raise timeouts.navigationSeconds in a site profile override when Amazon is slow from here.";
                case AlexaErrorId.PageChanged:
                    return "The page did not do what was asked, so nothing more was deleted, to be safe; running the command again fails the same way until that changes. "
                        + (failure.RecommendedAction ?? "Compare the screenshot with the site profile and put the new label in a site profile override ($env:ALEXAPRIVACY_SITE_PROFILE).");
                default:
                    return failure.RecommendedAction ?? "See the error the page reported; the Remaining property holds the keys of the records still there.";
            }
        }

        private static string KeyList(IReadOnlyCollection<string> keys) =>
            string.Join(", ", keys.Take(20)) + (keys.Count > 20 ? $" and {keys.Count - 20} more" : "");

        /// <summary>
        /// The page's filters for a range, or null when they cannot express it exactly: the Custom
        /// filter selects whole local days, and the device filter offers only the devices it lists.
        /// </summary>
        private static async Task<(string StartDay, string EndDay, string Device, long Until)?> RangeAsFilterAsync(VoiceHistoryPage page, VoiceHistoryQuery range, List<AlexaVoiceRecord> targets)
        {
            if (range.After.HasValue && !await page.IsLocalMidnightAsync(range.StartMs)) return null;
            if (range.Before.HasValue && !await page.IsLocalMidnightAsync(range.EndMs + 1)) return null;
            string device = null;
            if (range.Device != null)
            {
                device = (await page.DeviceChoicesAsync()).FirstOrDefault(d => string.Equals(d, range.Device, StringComparison.OrdinalIgnoreCase));
                if (device == null) return null;
            }
            // Without -After the oldest record opens the range; without -Before today closes it.
            long first = range.After.HasValue ? range.StartMs : targets[targets.Count - 1].TimestampMs;
            long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            long last = range.Before.HasValue ? range.EndMs : Math.Max(now, targets[0].TimestampMs);
            var days = await page.LocalDaysAsync(new[] { first, last, now });
            // A filter that reaches today would also take what Alexa records while this runs, unconfirmed
            // and unseen: it stops at yesterday, and today's targets go one by one.
            long todayStart = (await page.DayBoundsAsync(days[2])).Start;
            long until = long.MaxValue;
            if ((await page.DayBoundsAsync(days[1])).End >= todayStart)
            {
                if (first >= todayStart) return null;
                days[1] = (await page.LocalDaysAsync(new[] { todayStart - 1 }))[0];
                until = todayStart;
            }
            return (days[0], days[1], device, until);
        }

        /// <summary>
        /// Deletes each target with its own button, one local day at a time: the page then lists that
        /// day in the same order as its data request, which tells where each target's row is.
        /// Returns the instants covered by those days; adds what the days held to <paramref name="seen"/>.
        /// </summary>
        private static async Task<(long Start, long End)> DeleteEachAsync(VoiceHistoryPage page, List<AlexaVoiceRecord> targets, List<AlexaVoiceRecord> seen, AccountWork work)
        {
            var days = await page.LocalDaysAsync(targets.Select(t => t.TimestampMs));
            long start = long.MaxValue, end = long.MinValue;
            foreach (var day in targets.Select((t, i) => (Target: t, Day: days[i])).GroupBy(p => p.Day, p => p.Target))
            {
                var (dayStart, dayEnd) = await page.DayBoundsAsync(day.Key);
                start = Math.Min(start, dayStart);
                end = Math.Max(end, dayEnd);
                var listed = await page.ReadAllAsync(dayStart, dayEnd);
                seen?.AddRange(listed);
                int shown = await page.FilterAsync(day.Key, day.Key, null);
                if (shown != listed.Count)
                {
                    throw new AlexaException(AlexaErrorId.PageChanged, ErrorCategory.InvalidResult,
                        $"The {VoiceHistoryPage.PageName} page shows {shown} record(s) for {day.Key} but its data request lists {listed.Count}; no record of that day was deleted, to be safe.");
                }
                var position = new Dictionary<string, int>(StringComparer.Ordinal);
                for (int i = 0; i < listed.Count; i++) position[listed[i].Key] = i;
                // From the bottom up, so that a deleted row does not move the rows still to delete.
                var indices = day.Where(t => position.ContainsKey(t.Key)).Select(t => position[t.Key]).OrderByDescending(i => i).ToList();
                foreach (int index in indices) await page.DeleteShownAsync(index, listed[index]);
                work.WriteVerbose($"Deleted {indices.Count} record(s) of {day.Key} one by one.");
            }
            return (start, end);
        }
    }
}
