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
    public sealed class RemoveAlexaVoiceHistoryCommand : AlexaAccountCmdlet, IAuditedCmdlet
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

        /// <summary>A file that receives one JSON line per deletion and per failure; $env:ALEXAPRIVACY_AUDIT_LOG by default.</summary>
        [Parameter]
        public string AuditLogPath { get; set; }

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
            _whatIf = WhatIfGiven;
            try
            {
                // Which parameter set applies is known here only when nothing is piped in; records
                // piped from Get-AlexaVoiceHistory choose theirs when they arrive.
                if (!MyInvocation.ExpectingInput && ParameterSetName != RecordSet) _range = RangeOrFail();
                if (BackupPath != null && !_whatIf)
                {
                    // Opened only when the first confirmed record is written: answering No keeps an earlier backup.
                    _backup = VoiceHistoryFile.Create(SessionState.Path.GetUnresolvedProviderPathFromPSPath(BackupPath), deferred: true);
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
                await work.ExplainNothingToDoAsync($"No voice recordings of {session.Account} match; nothing to delete");
                result.Method = "None";
                work.WriteObject(result);
                return;
            }

            // One line for the whole deletion, also under -WhatIf: how many, of whom, which span and device.
            string span = $"{TimeText.Format(targets[targets.Count - 1].Time)} to {TimeText.Format(targets[0].Time)}";
            string what = $"Delete {targets.Count} voice recording(s) of {session.Account} ({span}{(range?.Device != null ? ", device " + range.Device : "")})";
            if (!await work.ConfirmAsync(what, what + "? Deleted recordings are gone for good.", "Remove-AlexaVoiceHistory", deletes: true)) return;

            if (_backup != null)
            {
                foreach (var target in targets) _backup.Write(target);
                _backup.Flush();
                work.WriteVerbose($"Saved {targets.Count} record(s) of {session.Account} to '{_backup.FullPath}' before deleting them.");
            }

            var errors = await VoiceHistoryDeletion.DeleteAsync(work, page, range, targets, before, result);
            work.WriteObject(result);
            foreach (var error in errors) work.WriteError(error);
        }

        // Stopped (Ctrl+C): a backup already in place (records were about to be deleted) is closed
        // whole there; one begun but never needed is removed and an earlier backup stays.
        protected override void CloseFiles() => _backup?.Dispose();
    }
}
