// What Export-AlexaPrivacyReport accepts, read once at the door: AlexaPolicyResult and
// AlexaVoiceRecord objects, and the ErrorRecords of the runs that made them (from -ErrorVariable
// or $Error), live or deserialized (from remoting or Import-Clixml). Everything is read through
// the objects' properties, so a deserialized property bag reads like the live object.
using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using AlexaPrivacy.Reports;

namespace AlexaPrivacy.Commands
{
    internal sealed class ReportInput
    {
        private const string ResultType = "AlexaPrivacy.AlexaPolicyResult";
        private const string RecordType = "AlexaPrivacy.AlexaVoiceRecord";
        private const string ErrorType = "System.Management.Automation.ErrorRecord";

        /// <summary>The accounts in the order they were first seen.</summary>
        public List<ReportRow> Rows { get; } = new List<ReportRow>();
        public List<ReportRecord> Records { get; } = new List<ReportRecord>();

        /// <summary>Takes one piped object; false when it is none of the kinds the report shows.</summary>
        public bool Add(PSObject input)
        {
            object value = input.BaseObject;
            if (value is IContainsErrorRecord container && !(value is ErrorRecord)) input = PSObject.AsPSObject(container.ErrorRecord);
            if (Is(input, ErrorType)) { AddError(input); return true; }
            if (Is(input, ResultType)) { AddResult(input); return true; }
            if (Is(input, RecordType)) { AddRecord(input); return true; }
            return false;
        }

        private static bool Is(PSObject input, string type) =>
            input.BaseObject is ErrorRecord && type == ErrorType
            || input.TypeNames.Any(t => string.Equals(t, type, StringComparison.Ordinal) || string.Equals(t, "Deserialized." + type, StringComparison.Ordinal));

        private void AddResult(PSObject input)
        {
            var row = RowFor(Text(input, "Account"), Text(input, "Marketplace"));
            row.HasResult = true;
            row.ResultCompliant = Get(input, "Compliant") is bool b && b;
            if (Get(input, "Settings") is IDictionary settings)
            {
                foreach (DictionaryEntry entry in settings) row.Settings[Convert.ToString(Unwrap(entry.Key), CultureInfo.InvariantCulture)] = Convert.ToString(Unwrap(entry.Value), CultureInfo.InvariantCulture);
            }
            row.Differences.Clear();
            foreach (var d in Items(input, "Differences"))
            {
                row.Differences.Add(new ReportDifference { Setting = Text(d, "Setting"), Wanted = Text(d, "Wanted"), Actual = Text(d, "Actual"), Recordings = Int(d, "Recordings") });
            }
            row.RecordingsOlderThanCutoff = Int(input, "RecordingsOlderThanCutoff");
            row.Cutoff = Time(Get(input, "Cutoff"));
            row.Changes.Clear();
            foreach (var c in Items(input, "Changes"))
            {
                row.Changes.Add(new ReportChange { Setting = Text(c, "Setting"), OldValue = Text(c, "OldValue"), NewValue = Text(c, "NewValue") });
            }
            var deletion = Get(input, "Deletion");
            row.Deleted = deletion == null ? 0 : Int(PSObject.AsPSObject(deletion), "Deleted") ?? 0;
        }

        private void AddError(PSObject input)
        {
            string id = Text(input, "FullyQualifiedErrorId") ?? "";
            int comma = id.IndexOf(',');
            if (comma >= 0) id = id.Substring(0, comma);
            var details = Get(input, "ErrorDetails");
            string message = details == null ? null : Text(PSObject.AsPSObject(details), "Message");
            var exception = Get(input, "Exception");
            if (string.IsNullOrEmpty(message) && exception != null) message = Text(PSObject.AsPSObject(exception), "Message");
            var target = Get(input, "TargetObject");
            string account = null, marketplace = null;
            if (target is string text)
            {
                if (text.Contains("@")) account = text;
            }
            else if (target != null)
            {
                var t = PSObject.AsPSObject(target);
                account = Text(t, "Email") ?? Text(t, "Account");
                marketplace = Text(t, "Marketplace");
            }
            if (string.IsNullOrWhiteSpace(account))
            {
                // The module puts the account in front of a per-account message ("someone@example.com: ...").
                int colon = message?.IndexOf(": ", StringComparison.Ordinal) ?? -1;
                if (colon > 0 && message.Substring(0, colon).Contains("@") && !message.Substring(0, colon).Contains(" ")) account = message.Substring(0, colon);
            }
            var row = RowFor(string.IsNullOrWhiteSpace(account) ? "(account not known)" : account.Trim(), marketplace);
            row.Errors.Add(new ReportError { ErrorId = string.IsNullOrEmpty(id) ? "(no error id)" : id, Message = message ?? "" });
        }

        private void AddRecord(PSObject input)
        {
            var time = Time(Get(input, "Time"));
            if (time == null) return;
            Records.Add(new ReportRecord { Account = Text(input, "Account") ?? "", Device = Text(input, "Device") ?? "(unknown)", Time = time.Value });
        }

        /// <summary>The row of an account: same email (any case) and same marketplace, or the one row of that email when either side names no marketplace or only one row has it.</summary>
        private ReportRow RowFor(string account, string marketplace)
        {
            account = account ?? "(account not known)";
            var same = Rows.Where(r => string.Equals(r.Account, account, StringComparison.OrdinalIgnoreCase)).ToList();
            var row = same.FirstOrDefault(r => string.Equals(r.Marketplace, marketplace, StringComparison.OrdinalIgnoreCase))
                ?? (same.Count == 1 && (string.IsNullOrEmpty(marketplace) || string.IsNullOrEmpty(same[0].Marketplace)) ? same[0] : null);
            if (row == null)
            {
                row = new ReportRow { Account = account, Marketplace = string.IsNullOrEmpty(marketplace) ? null : marketplace };
                Rows.Add(row);
            }
            else if (string.IsNullOrEmpty(row.Marketplace) && !string.IsNullOrEmpty(marketplace))
            {
                row.Marketplace = marketplace;
            }
            return row;
        }

        private static object Unwrap(object value) => value is PSObject p && !(p.BaseObject is PSCustomObject) ? p.BaseObject : value;

        private static object Get(PSObject input, string name) => Unwrap(input.Properties[name]?.Value);

        private static string Text(PSObject input, string name)
        {
            var value = Get(input, name);
            string text = value == null ? null : Convert.ToString(value, CultureInfo.InvariantCulture);
            return string.IsNullOrWhiteSpace(text) ? null : text;
        }

        private static int? Int(PSObject input, string name)
        {
            var value = Get(input, name);
            if (value == null) return null;
            try { return Convert.ToInt32(value, CultureInfo.InvariantCulture); }
            catch (Exception e) when (e is FormatException || e is InvalidCastException || e is OverflowException) { return null; }
        }

        private static IEnumerable<PSObject> Items(PSObject input, string name)
        {
            var value = Get(input, name);
            if (value == null || value is string) return Enumerable.Empty<PSObject>();
            if (value is IEnumerable list) return list.Cast<object>().Where(o => o != null).Select(PSObject.AsPSObject);
            return new[] { PSObject.AsPSObject(value) };
        }

        /// <summary>A time, live (DateTimeOffset, DateTime), as text, or deserialized (the property bag of a DateTimeOffset).</summary>
        private static DateTimeOffset? Time(object value)
        {
            switch (value)
            {
                case null: return null;
                case DateTimeOffset t: return t;
                case DateTime d: return new DateTimeOffset(d);
                case string s: return DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var parsed) ? parsed : (DateTimeOffset?)null;
                case PSObject bag:
                    var ticks = Get(bag, "UtcTicks");
                    if (ticks == null) return null;
                    var offset = Get(bag, "TotalOffsetMinutes");
                    var utc = new DateTimeOffset(Convert.ToInt64(ticks, CultureInfo.InvariantCulture), TimeSpan.Zero);
                    return offset == null ? utc.ToLocalTime() : utc.ToOffset(TimeSpan.FromMinutes(Convert.ToInt32(offset, CultureInfo.InvariantCulture)));
                default: return null;
            }
        }
    }
}
