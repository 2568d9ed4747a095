// Remove-AlexaVoiceHistory: deletes voice recordings through the "Review Voice History" page like a
// person (the filters and "Delete all of my recordings" for a whole range, each record's own
// button for a chosen subset), then reads the history again to check that exactly those are gone.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using AlexaPrivacy.Execution;
using AlexaPrivacy.Pages;

namespace AlexaPrivacy.Commands
{
    [Cmdlet(VerbsCommon.Remove, "AlexaVoiceHistory", DefaultParameterSetName = SessionSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(AlexaVoiceDeletion))]
    public sealed class RemoveAlexaVoiceHistoryCommand : AlexaAccountCmdlet
    {
        private const string RecordSet = "Record";

        [Parameter(ParameterSetName = SessionSet, ValueFromPipeline = true)]
        [Parameter(ParameterSetName = RecordSet)]
        [ValidateNotNull]
        public override AlexaSession Session { get => base.Session; set => base.Session = value; }

        /// <summary>Records from Get-AlexaVoiceHistory (filtered with Where-Object, for example).</summary>
        [Parameter(ParameterSetName = RecordSet, Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public AlexaVoiceRecord[] InputObject { get; set; }

        [Parameter(ParameterSetName = SessionSet)]
        [Parameter(ParameterSetName = AccountSet)]
        public DateTime? After { get; set; }

        [Parameter(ParameterSetName = SessionSet)]
        [Parameter(ParameterSetName = AccountSet)]
        public DateTime? Before { get; set; }

        [Parameter(ParameterSetName = SessionSet)]
        [Parameter(ParameterSetName = AccountSet)]
        [ArgumentCompleter(typeof(DeviceCompleter))]
        [ValidateNotNullOrEmpty]
        public string Device { get; set; }

        /// <summary>Deletes the whole history: required when no range is given, so that a bare command never empties an account.</summary>
        [Parameter(ParameterSetName = SessionSet)]
        [Parameter(ParameterSetName = AccountSet)]
        public SwitchParameter All { get; set; }

        /// <summary>A .csv or .json file that receives the records before they are deleted.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string BackupPath { get; set; }

        private VoiceHistoryQuery _range;
        private VoiceHistoryFile _backup;
        private bool _whatIf;
        private readonly Dictionary<AlexaSession, List<AlexaVoiceRecord>> _chosen = new Dictionary<AlexaSession, List<AlexaVoiceRecord>>();
        // Records of another account than -Session's, by the session that read them: one error each at the end.
        private readonly Dictionary<AlexaSession, List<AlexaVoiceRecord>> _foreign = new Dictionary<AlexaSession, List<AlexaVoiceRecord>>();

        protected override string Activity => "Deleting Alexa voice history";

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _whatIf = MyInvocation.BoundParameters.TryGetValue("WhatIf", out var whatIf)
                ? ((SwitchParameter)whatIf).IsPresent
                : LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));
            try
            {
                // Which parameter set applies is known here only when nothing is piped in; records
                // piped from Get-AlexaVoiceHistory choose theirs when they arrive.
                if (!MyInvocation.ExpectingInput && ParameterSetName != RecordSet) _range = RangeOrFail();
                if (BackupPath != null && !_whatIf)
                {
                    _backup = VoiceHistoryFile.Create(SessionState.Path.GetUnresolvedProviderPathFromPSPath(BackupPath));
                }
            }
            catch (AlexaException e)
            {
                ThrowTerminatingError(e.ToErrorRecord(BackupPath ?? (object)After ?? Before));
            }
        }

        private VoiceHistoryQuery RangeOrFail()
        {
            if (After == null && Before == null && Device == null && !All)
            {
                throw AlexaException.InvalidInput("Say what to delete: -After, -Before and/or -Device, records piped from Get-AlexaVoiceHistory, or -All for the whole history.");
            }
            return VoiceHistoryQuery.From(After, Before, Device, null);
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName != RecordSet)
            {
                if (_range == null)
                {
                    try
                    {
                        _range = RangeOrFail();
                    }
                    catch (AlexaException e)
                    {
                        ThrowTerminatingError(e.ToErrorRecord((object)After ?? Before));
                    }
                }
                var range = _range;
                Enqueue(work => RemoveAsync(work, range, null));
                return;
            }
            foreach (var record in InputObject)
            {
                if (Session != null && record.Session != null && !SameAccount(record.Session, record.Account, Session))
                {
                    if (!_foreign.TryGetValue(record.Session, out var others)) _foreign[record.Session] = others = new List<AlexaVoiceRecord>();
                    others.Add(record);
                    continue;
                }
                var session = SessionForObject(record.Session, record.Account, record, "voice record");
                if (session == null) continue;
                if (!_chosen.TryGetValue(session, out var list)) _chosen[session] = list = new List<AlexaVoiceRecord>();
                list.Add(record);
            }
        }

        protected override void EndProcessing()
        {
            try
            {
                foreach (var pair in _foreign)
                {
                    var error = SessionMismatch($"voice record (and {pair.Value.Count - 1} more of that account)", pair.Key.Account, pair.Key.Marketplace, Session);
                    if (pair.Value.Count == 1) error = SessionMismatch("voice record", pair.Key.Account, pair.Key.Marketplace, Session);
                    Reject(pair.Value[0], error, pair.Key.Account);
                }
                // Piped records are deleted only once the producer has finished, so the page is free.
                foreach (var pair in _chosen)
                {
                    var records = pair.Value;
                    EnqueueFor(pair.Key, pair.Key, work => RemoveAsync(work, null, records));
                }
                base.EndProcessing();
            }
            finally
            {
                _backup?.Dispose();
            }
        }


        private async Task RemoveAsync(AccountWork work, VoiceHistoryQuery range, List<AlexaVoiceRecord> chosen)
        {
            var session = work.Session;
            var page = await VoiceHistoryPage.OpenAsync(session, work.WriteVerbose, work.Cancel);
            List<AlexaVoiceRecord> before = null;
            List<AlexaVoiceRecord> targets;
            if (range != null)
            {
                await range.CheckDeviceAsync(page, work);
                before = await page.ReadAllAsync(range.StartMs, range.EndMs);
                targets = before.Where(range.Matches).ToList();
            }
            else
            {
                targets = chosen.GroupBy(r => r.Key, StringComparer.Ordinal).Select(g => g.First()).OrderByDescending(r => r.TimestampMs).ToList();
            }
            var result = new AlexaVoiceDeletion
            {
                Account = session.Account,
                Requested = targets.Count,
                After = range?.After,
                Before = range?.Before,
                Device = range?.Device,
                BackupPath = _backup?.FullPath,
            };
            if (targets.Count == 0)
            {
                work.WriteVerbose($"No voice records of {session.Account} match; nothing to delete.");
                result.Method = "None";
                work.WriteObject(result);
                return;
            }

            // One line for the whole deletion, also under -WhatIf: how many, of whom, which span and device.
            string span = $"{TimeText.Format(targets[targets.Count - 1].Time)} to {TimeText.Format(targets[0].Time)}";
            string what = $"Delete {targets.Count} voice recording(s) of {session.Account} ({span}{(range?.Device != null ? ", device " + range.Device : "")})";
            if (!await work.ShouldProcessAsync(what, what + "? Deleted recordings are gone for good.", "Remove-AlexaVoiceHistory")) return;

            if (_backup != null)
            {
                foreach (var target in targets) _backup.Write(target);
                _backup.Flush();
                work.WriteVerbose($"Saved {targets.Count} record(s) of {session.Account} to '{_backup.FullPath}' before deleting them.");
            }

            AlexaException failure = null;
            long spanStart, spanEnd;
            try
            {
                var filter = range == null ? null : await RangeAsFilterAsync(page, range, targets);
                int shown = filter == null ? -1 : await page.FilterAsync(filter.Value.StartDay, filter.Value.EndDay, filter.Value.Device);
                if (filter != null && shown == targets.Count)
                {
                    work.WriteVerbose($"The page's filters show exactly the {shown} record(s) of {session.Account}; deleting them with the page's button for all shown records.");
                    result.Method = "Filter";
                    await page.DeleteAllShownAsync();
                    (spanStart, spanEnd) = (range.StartMs, range.EndMs);
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
            work.WriteObject(result);

            if (result.Remaining.Length > 0)
            {
                work.WriteError(new AlexaException(AlexaErrorId.ChangeNotPersisted, ErrorCategory.InvalidResult,
                    $"{result.Remaining.Length} of {targets.Count} voice record(s) of {session.Account} are still there after the deletion: {KeyList(result.Remaining)}."
                    + (failure == null ? "" : $" The page reported: {failure.Message}"), failure)
                { RecommendedAction = "Run the command again for the remaining records (the Remaining property of the output lists them)." });
            }
            else if (failure != null)
            {
                work.WriteError(failure);
            }
            if (collateral.Count > 0)
            {
                work.WriteError(new AlexaException(AlexaErrorId.ChangeNotPersisted, ErrorCategory.InvalidResult,
                    $"{collateral.Count} voice record(s) of {session.Account} that were not asked for are gone too: {KeyList(collateral)}.")
                { RecommendedAction = "Compare with the backup (-BackupPath) and report the page's behaviour." });
            }
        }

        private static string KeyList(IReadOnlyCollection<string> keys) =>
            string.Join(", ", keys.Take(20)) + (keys.Count > 20 ? $" and {keys.Count - 20} more" : "");

        /// <summary>
        /// The page's filters for a range, or null when they cannot express it exactly: the Custom
        /// filter selects whole local days, and the device filter offers only the devices it lists.
        /// </summary>
        private static async Task<(string StartDay, string EndDay, string Device)?> RangeAsFilterAsync(VoiceHistoryPage page, VoiceHistoryQuery range, List<AlexaVoiceRecord> targets)
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
            long last = range.Before.HasValue ? range.EndMs : Math.Max(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), targets[0].TimestampMs);
            var days = await page.LocalDaysAsync(new[] { first, last });
            return (days[0], days[1], device);
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
