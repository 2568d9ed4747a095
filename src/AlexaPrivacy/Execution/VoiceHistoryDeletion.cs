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
                // A filter that would show none of the targets deletes nothing: each goes by its own button.
                if (filter != null && !targets.Any(t => t.TimestampMs >= filter.Value.From && t.TimestampMs < filter.Value.Until)) filter = null;
                // The filter covers the whole local days of the range before today (see RangeAsFilterAsync): the
                // targets of a day it only partly covers (where -After or -Before fall, and today) go one by one after it.
                var filtered = filter == null ? targets : targets.Where(t => t.TimestampMs >= filter.Value.From && t.TimestampMs < filter.Value.Until).ToList();
                var today = filter == null ? new List<AlexaVoiceRecord>() : targets.Where(t => t.TimestampMs < filter.Value.From || t.TimestampMs >= filter.Value.Until).ToList();
                if (filter != null)
                {
                    bool any = await DeleteByFiltersAsync(page, filter.Value, filtered, before, work);
                    result.Method = any ? "Filter" : "PerRecord";
                    (spanStart, spanEnd) = (range.StartMs, range.EndMs);
                    if (today.Count > 0)
                    {
                        work.WriteVerbose($"Deleting the {today.Count} record(s) of days the range covers only in part one by one: a filter on a whole day would take more"
                            + " (a filter on today would also take what Alexa records meanwhile).");
                        var days = await DeleteEachAsync(page, today, before, work);
                        (spanStart, spanEnd) = (Math.Min(spanStart, days.Start), Math.Max(spanEnd, days.End));
                    }
                }
                else
                {
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
        /// The page's filters for the whole local days of a range (the Custom filter selects whole days), or null
        /// when the range holds no whole day before today or the device filter does not offer its device. The
        /// records from From (inclusive) to Until (exclusive) are what the filter shows; a day the range covers
        /// only in part (where -After or -Before fall) is left out, and so is today, because a filter on today
        /// would also take what Alexa records while this runs, unconfirmed and unseen.
        /// </summary>
        private static async Task<(string StartDay, string EndDay, string Device, long From, long Until)?> RangeAsFilterAsync(VoiceHistoryPage page, VoiceHistoryQuery range, List<AlexaVoiceRecord> targets)
        {
            string device = null;
            if (range.Device != null)
            {
                device = (await page.DeviceChoicesAsync()).FirstOrDefault(d => string.Equals(d, range.Device, StringComparison.OrdinalIgnoreCase));
                if (device == null) return null;
            }
            long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            // Without -After the oldest record's day opens the range; without -Before today closes it.
            long first = range.After.HasValue ? range.StartMs : targets[targets.Count - 1].TimestampMs;
            long last = range.Before.HasValue ? range.EndMs : Math.Max(now, targets[0].TimestampMs);
            var days = await page.LocalDaysAsync(new[] { first, last, now });
            var firstDay = await page.DayBoundsAsync(days[0]);
            long from = long.MinValue;
            if (range.After.HasValue)
            {
                // -After inside a day: the filter starts with the next day.
                from = firstDay.Start == first ? first : firstDay.End + 1;
                if (from != first) days[0] = (await page.LocalDaysAsync(new[] { from }))[0];
            }
            var lastDay = await page.DayBoundsAsync(days[1]);
            // -Before inside a day (or the range reaching today): the filter ends with the day before.
            long todayStart = (await page.DayBoundsAsync(days[2])).Start;
            long until = range.Before.HasValue && lastDay.End == last ? last + 1 : lastDay.Start;
            if (!range.Before.HasValue) until = long.MaxValue;
            if (until > todayStart) until = todayStart;
            if (until != lastDay.End + 1) days[1] = (await page.LocalDaysAsync(new[] { until - 1 }))[0];
            if (string.CompareOrdinal(days[0], days[1]) > 0 || (from != long.MinValue && from >= until)) return null;
            return (days[0], days[1], device, from, until);
        }

        /// <summary>
        /// Deletes the targets of a filter's whole days with the page's filters and "Delete all of my recordings",
        /// a run of whole days at a time that holds at most limits.recordsPerFilter of them (the page lists
        /// them all to be counted; a day holds what it holds): each run is counted on the page, and deleted only when the page shows exactly its
        /// targets; a run that shows anything else goes one by one. The runs tile the filter's days with no gap.
        /// Returns true when the page's button deleted any run.
        /// </summary>
        private static async Task<bool> DeleteByFiltersAsync(VoiceHistoryPage page, (string StartDay, string EndDay, string Device, long From, long Until) filter,
            List<AlexaVoiceRecord> filtered, List<AlexaVoiceRecord> seen, AccountWork work)
        {
            var runs = await RunsOfDaysAsync(page, filter.StartDay, filter.EndDay, filtered, work.Session.Profile.Limits.RecordsPerFilter);
            bool any = false;
            foreach (var run in runs)
            {
                int shown = await page.FilterAsync(run.StartDay, run.EndDay, filter.Device);
                if (shown == run.Targets.Count)
                {
                    work.WriteVerbose($"The page's filters show exactly the {shown} record(s) of {work.Session.Account} from {run.StartDay} to {run.EndDay}; deleting them with the page's button for all shown records.");
                    await page.DeleteAllShownAsync();
                    any = true;
                }
                else
                {
                    work.WriteVerbose($"The page's filters show {shown} record(s) from {run.StartDay} to {run.EndDay}, not the {run.Targets.Count} asked for; deleting those one by one instead.");
                    await DeleteEachAsync(page, run.Targets, seen, work);
                }
            }
            return any;
        }

        /// <summary>
        /// Splits the local days <paramref name="startDay"/>..<paramref name="endDay"/> into runs of whole days
        /// that each hold at most <paramref name="most"/> targets (or one day, whatever it holds), oldest first.
        /// </summary>
        private static async Task<List<(string StartDay, string EndDay, List<AlexaVoiceRecord> Targets)>> RunsOfDaysAsync(
            VoiceHistoryPage page, string startDay, string endDay, List<AlexaVoiceRecord> targets, int most)
        {
            var days = await page.LocalDaysAsync(targets.Select(t => t.TimestampMs));
            var byDay = targets.Select((t, i) => (Target: t, Day: days[i])).GroupBy(p => p.Day, p => p.Target, StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
            var runs = new List<(string, string, List<AlexaVoiceRecord>)>();
            string runStart = startDay;
            var current = new List<AlexaVoiceRecord>();
            for (int i = 0; i < byDay.Count; i++)
            {
                current.AddRange(byDay[i]);
                bool last = i == byDay.Count - 1;
                if (!last && current.Count + byDay[i + 1].Count() <= most) continue;
                // The run ends with this day, or with the filter's last day for the last run; the next starts the day after.
                string runEnd = last ? endDay : byDay[i].Key;
                runs.Add((runStart, runEnd, current.OrderByDescending(t => t.TimestampMs).ToList()));
                if (!last) runStart = (await page.LocalDaysAsync(new[] { (await page.DayBoundsAsync(runEnd)).End + 1 }))[0];
                current = new List<AlexaVoiceRecord>();
            }
            return runs;
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
