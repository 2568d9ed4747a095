// Set-AlexaPrivacyPolicy: brings each account to a privacy policy on one sign-in: reads
// "Manage Your Alexa Data" once and changes what differs there, then deletes the recordings
// older than the policy allows on one load of "Review Voice History". Each change is verified
// by the page after a reload, confirmed like the single cmdlets, and written to the audit log.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using AlexaPrivacy.Execution;
using AlexaPrivacy.Pages;

namespace AlexaPrivacy.Commands
{
    [Cmdlet(VerbsCommon.Set, "AlexaPrivacyPolicy", DefaultParameterSetName = SessionSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(AlexaPolicyResult))]
    public sealed class SetAlexaPrivacyPolicyCommand : AlexaPolicyCmdlet, IAuditedCmdlet
    {
        /// <summary>Makes the high-impact changes (a shorter retention, deleting recordings) without asking.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>A file that receives one JSON line per change, deletion and failure; $env:ALEXAPRIVACY_AUDIT_LOG by default.</summary>
        [Parameter]
        public string AuditLogPath { get; set; }

        protected override string Activity => "Applying a privacy policy to Alexa accounts";

        protected override void ProcessRecord()
        {
            var policy = LoadedPolicy;
            bool force = Force;
            Enqueue(work => ApplyAsync(work, policy, force));
        }

        // A deletion of old recordings is asked about unless -Force, with No as the default (AlexaCmdlet.ConfirmChange).
        private static Task<bool> ConfirmDeletionAsync(AccountWork work, string action, bool force) =>
            work.ConfirmAsync(action, action + "?", "Set-AlexaPrivacyPolicy", true, force);

        private static async Task ApplyAsync(AccountWork work, AlexaPrivacyPolicy policy, bool force)
        {
            var session = work.Session;
            var result = NewResult(work, "Set");
            var left = new List<AlexaPolicyDifference>();
            var changes = new List<AlexaSettingChange>();
            var (page, current) = await ReadSettingsAsync(work, policy, result);
            var change = new SettingChange(work, page, "Set-AlexaPrivacyPolicy", force, sayGoneForGood: false);
            foreach (var desired in policy.Desired)
            {
                string actual = current[desired.Name];
                if (desired.IsMet(actual)) continue;
                AlexaSettingChange made;
                try
                {
                    made = await change.ApplyAsync(desired, actual);
                }
                catch (AlexaException e) when (e.ErrorId == AlexaErrorId.SettingUnavailable || e.ErrorId == AlexaErrorId.ChangeNotPersisted)
                {
                    // One setting the page refuses does not keep the others from being applied.
                    work.WriteError(e);
                    made = null;
                }
                if (made == null)
                {
                    left.Add(Difference(desired, actual));
                    continue;
                }
                changes.Add(made);
                result.Settings[desired.Name] = desired.Value;
            }
            result.Changes = changes.ToArray();

            if (policy.DeleteRecordingsOlderThan.HasValue)
            {
                var range = TooOld(policy, out var cutoff);
                result.Cutoff = cutoff;
                var history = await VoiceHistoryPage.OpenAsync(session, work.WriteVerbose, work.Cancel);
                var before = await history.ReadAllAsync(range.StartMs, range.EndMs);
                var targets = before.Where(range.Matches).OrderByDescending(r => r.TimestampMs).ToList();
                result.RecordingsOlderThanCutoff = targets.Count;
                if (targets.Count > 0)
                {
                    string action = $"Delete {targets.Count} voice recording(s) of {session.Account} older than {TimeText.Format(cutoff)} ({TimeText.Format(targets[targets.Count - 1].Time)} to {TimeText.Format(targets[0].Time)}); deleted recordings are gone for good";
                    if (await ConfirmDeletionAsync(work, action, force))
                    {
                        var deletion = new AlexaVoiceDeletion { Account = session.Account, Requested = targets.Count, Before = cutoff };
                        var errors = await VoiceHistoryDeletion.DeleteAsync(work, history, range, targets, before, deletion);
                        result.Deletion = deletion;
                        result.RecordingsOlderThanCutoff = deletion.Remaining.Length;
                        if (deletion.Remaining.Length > 0) left.Add(RecordingsDifference(policy, deletion.Remaining.Length));
                        foreach (var error in errors) work.WriteError(error);
                    }
                    else
                    {
                        left.Add(RecordingsDifference(policy, targets.Count));
                    }
                }
            }
            if (left.Count == 0 && changes.Count == 0 && result.Deletion == null)
                await work.ExplainNothingToDoAsync($"{session.Account} already meets the policy; nothing to change");
            result.Differences = left.ToArray();
            result.Compliant = left.Count == 0;
            result.Time = DateTimeOffset.Now;
            work.WriteObject(result);
        }
    }
}
