// The module's objects as they come back from another process: PowerShell remoting, jobs and
// Import-Clixml hand over property bags typed "Deserialized.AlexaPrivacy.<Type>". These turn them
// back into the module's own types so that Export-AlexaPrivacyReport takes them as they are.
using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;
using System.Linq;
using System.Management.Automation;

namespace AlexaPrivacy
{
    internal static class Rehydration
    {
        public const string Prefix = "Deserialized.";

        /// <summary>True when the object is a deserialised copy of the module type <typeparamref name="T"/>.</summary>
        public static bool Is<T>(PSObject value) =>
            value != null && value.TypeNames.Contains(Prefix + typeof(T).FullName);

        public static AlexaPolicyResult PolicyResult(PSObject value)
        {
            var result = new AlexaPolicyResult
            {
                Account = Text(value, "Account"),
                Marketplace = Text(value, "Marketplace"),
                Compliant = Get<bool>(value, "Compliant"),
                Mode = Text(value, "Mode"),
                Time = Get<DateTimeOffset>(value, "Time"),
                Cutoff = Get<DateTimeOffset?>(value, "Cutoff"),
                RecordingsOlderThanCutoff = Get<int?>(value, "RecordingsOlderThanCutoff"),
                Differences = Items(value, "Differences").Select(d => new AlexaPolicyDifference
                {
                    Setting = Text(d, "Setting"),
                    Wanted = Text(d, "Wanted"),
                    Actual = Text(d, "Actual"),
                    Recordings = Get<int?>(d, "Recordings"),
                }).ToArray(),
                Changes = Items(value, "Changes").Select(c => new AlexaSettingChange
                {
                    Account = Text(c, "Account"),
                    Marketplace = Text(c, "Marketplace"),
                    Setting = Text(c, "Setting"),
                    OldValue = Text(c, "OldValue"),
                    NewValue = Text(c, "NewValue"),
                    Changed = Get<bool>(c, "Changed"),
                    Time = Get<DateTimeOffset>(c, "Time"),
                }).ToArray(),
            };
            result.Settings = new OrderedDictionary(StringComparer.OrdinalIgnoreCase);
            if (Unwrap(value.Properties["Settings"]?.Value) is IDictionary settings)
            {
                foreach (DictionaryEntry entry in settings) result.Settings[Convert.ToString(entry.Key, CultureInfo.InvariantCulture)] = Convert.ToString(Unwrap(entry.Value), CultureInfo.InvariantCulture);
            }
            if (value.Properties["Deletion"]?.Value is PSObject d)
            {
                result.Deletion = new AlexaVoiceDeletion
                {
                    Account = Text(d, "Account"),
                    Requested = Get<int>(d, "Requested"),
                    Deleted = Get<int>(d, "Deleted"),
                    Method = Text(d, "Method"),
                    After = Get<DateTimeOffset?>(d, "After"),
                    Before = Get<DateTimeOffset?>(d, "Before"),
                    Device = Text(d, "Device"),
                    BackupPath = Text(d, "BackupPath"),
                    Remaining = Items(d, "Remaining").Select(r => Convert.ToString(Unwrap(r), CultureInfo.InvariantCulture)).ToArray(),
                };
            }
            return result;
        }

        private static object Unwrap(object value) => value is PSObject wrapped && !(wrapped.BaseObject is PSCustomObject) ? wrapped.BaseObject : value;

        private static string Text(PSObject value, string name)
        {
            object raw = Unwrap(value?.Properties[name]?.Value);
            return raw == null ? null : Convert.ToString(raw, CultureInfo.InvariantCulture);
        }

        private static T Get<T>(PSObject value, string name)
        {
            object raw = Unwrap(value?.Properties[name]?.Value);
            if (raw == null) return default;
            // A DateTimeOffset travels as a property bag; its UtcDateTime and Offset come back as they were.
            if (raw is PSObject bag && bag.TypeNames.Contains(Prefix + typeof(DateTimeOffset).FullName))
            {
                var utc = LanguagePrimitives.ConvertTo<DateTime>(Unwrap(bag.Properties["UtcDateTime"]?.Value));
                var offset = LanguagePrimitives.ConvertTo<TimeSpan>(Unwrap(bag.Properties["Offset"]?.Value));
                raw = new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToOffset(offset);
            }
            return LanguagePrimitives.ConvertTo<T>(raw);
        }

        private static IEnumerable<PSObject> Items(PSObject value, string name)
        {
            object raw = Unwrap(value?.Properties[name]?.Value);
            if (raw == null || raw is string) return Enumerable.Empty<PSObject>();
            if (raw is IEnumerable items) return items.Cast<object>().Where(i => i != null).Select(PSObject.AsPSObject).ToList();
            return new[] { PSObject.AsPSObject(raw) };
        }
    }
}
