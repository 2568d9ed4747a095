// One change of one data setting, for Set-AlexaDataSetting and Set-AlexaPrivacyPolicy: plans it
// from the value the page shows, asks where it must (a shorter retention deletes recordings for
// good), writes the audit line before sending, sends it through the page (which verifies the stored
// value after a reload), and writes the audit line of the change.
using System;
using System.Threading.Tasks;
using AlexaPrivacy.Pages;
using AlexaPrivacy.Site;

namespace AlexaPrivacy.Execution
{
    internal sealed class SettingChange
    {
        private readonly AccountWork _work;
        private readonly DataSettingsPage _page;
        private readonly string _caption;
        private readonly bool _force;
        private readonly bool _sayGoneForGood;

        /// <param name="caption">The command's name, as the title of its questions.</param>
        /// <param name="force">-Force: a change that deletes recordings is made without asking.</param>
        /// <param name="sayGoneForGood">Ends the question about a change that deletes with "Deleted recordings are gone for good."</param>
        public SettingChange(AccountWork work, DataSettingsPage page, string caption, bool force, bool sayGoneForGood)
        {
            _work = work;
            _page = page;
            _caption = caption;
            _force = force;
            _sayGoneForGood = sayGoneForGood;
        }

        /// <summary>What the setting holds when nothing is changed: Changed is false and both values are <paramref name="current"/>.</summary>
        public AlexaSettingChange Unchanged(SettingRequest desired, string current) => new AlexaSettingChange
        {
            Account = _work.Session.Account,
            Marketplace = _work.Session.Marketplace,
            Setting = desired.Name,
            OldValue = current,
            NewValue = current,
            Time = DateTimeOffset.Now,
        };

        /// <summary>
        /// Changes the setting from <paramref name="current"/> to what <paramref name="desired"/> wants,
        /// once confirmed; the change made (Changed = $true), or null when it was declined or only shown
        /// (-WhatIf). Call it only for a setting that differs. A change the page refuses or does not
        /// keep throws its AlexaException after the line "sending" is in the audit log.
        /// </summary>
        public async Task<AlexaSettingChange> ApplyAsync(SettingRequest desired, string current)
        {
            var session = _work.Session;
            string label = _page.DisplayName(desired.Name);
            string action;
            bool deletes = false;
            VoiceRecordingRetention old = default;
            if (desired.Kind == SettingKind.Retention)
            {
                old = (VoiceRecordingRetention)Enum.Parse(typeof(VoiceRecordingRetention), current);
                action = $"Change '{label}' from {current} to {desired.Value} for {session.Account}";
                deletes = desired.Retention.Value < old;
                if (deletes) action += "; Amazon deletes the recordings older than the new period";
            }
            else
            {
                action = $"Turn {(desired.Enabled.Value ? "on" : "off")} '{label}' for {session.Account}";
            }
            // A shorter retention deletes recordings for good: it asks by default, as ConfirmImpact High
            // would (-Force or -Confirm:$false do it without asking); everything else is Medium.
            string query = action + (deletes && _sayGoneForGood ? "? Deleted recordings are gone for good." : "?");
            if (!await _work.ConfirmAsync(action, query, _caption, deletes, _force)) return null;

            var sent = _work.AuditBeforeSending(AuditEntries.Sending(session.Account, session.Marketplace, desired.Name, current, desired.Value));
            if (desired.Kind == SettingKind.Retention) await _page.SetRetentionAsync(desired.Retention.Value, old);
            else await _page.SetSwitchAsync(desired.Name, desired.Enabled.Value);
            var change = Unchanged(desired, current);
            change.NewValue = desired.Value;
            change.Changed = true;
            change.Time = DateTimeOffset.Now;
            _work.Audit(AuditEntries.Change(change, sent));
            return change;
        }
    }
}
