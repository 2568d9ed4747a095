// What a privacy report shows, independent of where it came from: one row per account (the
// result of a policy test or run, the errors that account raised, or both), the voice records
// for the chart, Amazon's own labels for the settings, and durations in plain words.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AlexaPrivacy.Site;

namespace AlexaPrivacy.Reports
{
    internal enum ReportStatus
    {
        Failed,
        NotCompliant,
        Compliant,
    }

    internal sealed class ReportError
    {
        /// <summary>The stable id, such as AlexaSessionFileNotFound (the part of FullyQualifiedErrorId before the comma).</summary>
        public string ErrorId { get; set; }
        public string Message { get; set; }
    }

    internal sealed class ReportDifference
    {
        public string Setting { get; set; }
        public string Wanted { get; set; }
        public string Actual { get; set; }
        public int? Recordings { get; set; }
    }

    internal sealed class ReportChange
    {
        public string Setting { get; set; }
        public string OldValue { get; set; }
        public string NewValue { get; set; }
    }

    /// <summary>One account of the report.</summary>
    internal sealed class ReportRow
    {
        public string Account { get; set; }
        public string Marketplace { get; set; }
        /// <summary>True once a policy result for the account was given; false for an account known only from its errors.</summary>
        public bool HasResult { get; set; }
        public bool ResultCompliant { get; set; }
        /// <summary>Setting name to the value the account holds, for the settings the policy names.</summary>
        public Dictionary<string, string> Settings { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        public List<ReportDifference> Differences { get; } = new List<ReportDifference>();
        public int? RecordingsOlderThanCutoff { get; set; }
        public DateTimeOffset? Cutoff { get; set; }
        public List<ReportChange> Changes { get; } = new List<ReportChange>();
        public int Deleted { get; set; }
        public List<ReportError> Errors { get; } = new List<ReportError>();

        /// <summary>Failed when the account raised any error (its result, if any, is then partial); else what its result says.</summary>
        public ReportStatus Status => Errors.Count > 0 || !HasResult ? ReportStatus.Failed
            : ResultCompliant ? ReportStatus.Compliant : ReportStatus.NotCompliant;

        public static string StatusName(ReportStatus status) =>
            status == ReportStatus.Failed ? "failed" : status == ReportStatus.NotCompliant ? "not compliant" : "compliant";
    }

    /// <summary>One voice record, for the chart.</summary>
    internal sealed class ReportRecord
    {
        public string Account { get; set; }
        public string Device { get; set; }
        public DateTimeOffset Time { get; set; }
    }

    /// <summary>The words a manager reads: Amazon's labels for the settings and their values.</summary>
    internal sealed class ReportLabels
    {
        private readonly Dictionary<string, string> _settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, string> _retention = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>The setting names in the order of Amazon's page.</summary>
        public IReadOnlyList<string> Order { get; }

        public ReportLabels(SiteProfile profile)
        {
            Order = profile.Settings?.Keys.ToList() ?? new List<string>();
            LanguageLabels english = null;
            profile.Languages?.TryGetValue("en", out english);
            Dictionary<string, string> current = null;
            english?.Generations?.TryGetValue("2025", out current);
            foreach (var pair in current ?? new Dictionary<string, string>()) _settings[pair.Key] = pair.Value;
            if (!string.IsNullOrEmpty(english?.SettingsPage?.RetentionGroup)) _settings[AlexaSettingName.VoiceRecordingRetention] = english.SettingsPage.RetentionGroup;
            foreach (var pair in english?.Retention ?? new Dictionary<string, string>()) _retention[pair.Key] = pair.Value;
        }

        /// <summary>Amazon's label of a setting ("Use of Voice Recordings"), or its name when the profile has none.</summary>
        public string Setting(string name)
        {
            if (string.Equals(name, AlexaPrivacyPolicy.DeleteRecordingsOlderThanKey, StringComparison.OrdinalIgnoreCase)) return "Recordings older than the cutoff";
            return name != null && _settings.TryGetValue(name, out var label) ? label : name;
        }

        /// <summary>A value as the page shows it: "Save recordings for 3 months" for ThreeMonths; On and Off as they are.</summary>
        public string Value(string value) => value != null && _retention.TryGetValue(value, out var label) ? label : value;
    }

    internal static class PlainText
    {
        /// <summary>"7 days", "1 day 12 hours", "36 minutes": a duration as a person says it.</summary>
        public static string Duration(TimeSpan span)
        {
            var parts = new List<string>();
            void Add(int n, string unit) { if (n > 0) parts.Add(n.ToString(CultureInfo.InvariantCulture) + " " + unit + (n == 1 ? "" : "s")); }
            Add(span.Days, "day");
            Add(span.Hours, "hour");
            Add(span.Minutes, "minute");
            if (parts.Count == 0) Add(Math.Max(span.Seconds, 0), "second");
            return parts.Count == 0 ? "0 seconds" : string.Join(" ", parts);
        }

        /// <summary>A duration written as a TimeSpan ("7.00:00:00") in plain words; any other text as it is.</summary>
        public static string Duration(string text) =>
            text != null && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) ? Duration(span) : text;

        public static string Time(DateTimeOffset time) => time.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
    }
}
