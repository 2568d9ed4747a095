// A privacy policy: the wanted state of an account's Alexa data settings and how old a voice
// recording may grow, read from a .psd1 file or a hashtable and checked before any sign-in.
using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using AlexaPrivacy.Site;

namespace AlexaPrivacy
{
    public sealed class AlexaPrivacyPolicy
    {
        /// <summary>The key that names the age after which voice recordings are deleted.</summary>
        public const string DeleteRecordingsOlderThanKey = "DeleteRecordingsOlderThan";

        /// <summary>Where the policy came from: the file's full path, or "(hashtable)".</summary>
        public string Source { get; internal set; }

        /// <summary>Wanted settings in page order: name to "On"/"Off" or a retention period name.</summary>
        public IReadOnlyDictionary<string, string> Settings => _settings.ToDictionary(d => d.Name, d => d.Value, StringComparer.OrdinalIgnoreCase);

        /// <summary>Recordings older than this are deleted; null when the policy keeps them.</summary>
        public TimeSpan? DeleteRecordingsOlderThan { get; internal set; }

        internal IReadOnlyList<SettingRequest> Desired => _settings;

        private readonly List<SettingRequest> _settings = new List<SettingRequest>();

        public override string ToString() =>
            string.Join("; ", _settings.Select(s => $"{s.Name} = {s.Value}")
                .Concat(DeleteRecordingsOlderThan.HasValue ? new[] { $"{DeleteRecordingsOlderThanKey} = {DeleteRecordingsOlderThan.Value}" } : new string[0]));

        /// <summary>
        /// Reads a policy from a path (string or FileInfo) or a hashtable. Every problem is an
        /// AlexaPolicyInvalid error that names the key, and for a file the file and the key's line.
        /// </summary>
        internal static AlexaPrivacyPolicy Load(object policy, SiteProfile profile, Func<string, string> resolvePath)
        {
            object value = policy is PSObject wrapped ? wrapped.BaseObject : policy;
            switch (value)
            {
                case IDictionary table:
                    var entries = new List<(string Key, object Value, int Line)>();
                    foreach (DictionaryEntry entry in table) entries.Add((Convert.ToString(entry.Key, CultureInfo.InvariantCulture), entry.Value, 0));
                    return Build(entries, "(hashtable)", profile);
                case FileInfo file:
                    return FromFile(file.FullName, profile);
                case string path when !string.IsNullOrWhiteSpace(path):
                    return FromFile(resolvePath(path), profile);
                default:
                    throw Invalid("The policy must be a .psd1 file path or a hashtable such as @{ VoiceRecordingReview = 'Off' }.");
            }
        }

        private static AlexaPrivacyPolicy FromFile(string path, SiteProfile profile)
        {
            if (!File.Exists(path)) throw Invalid($"The policy file '{path}' does not exist.");
            // The AST, not Import-PowerShellDataFile: it keeps each key's line for the error messages, and runs nothing.
            var ast = Parser.ParseFile(path, out _, out ParseError[] errors);
            if (errors.Length > 0)
            {
                var e = errors[0];
                throw Invalid($"{path}:{e.Extent.StartLineNumber}: {e.Message}");
            }
            var table = ast.EndBlock?.Statements.Count == 1
                ? ((ast.EndBlock.Statements[0] as PipelineAst)?.PipelineElements.FirstOrDefault() as CommandExpressionAst)?.Expression as HashtableAst
                : null;
            if (table == null || ast.BeginBlock != null || ast.ProcessBlock != null || ast.ParamBlock != null)
            {
                throw Invalid($"{path}:1: a policy file holds one hashtable, such as @{{ VoiceRecordingReview = 'Off' }}, and nothing else.");
            }
            var entries = new List<(string Key, object Value, int Line)>();
            foreach (var pair in table.KeyValuePairs)
            {
                int line = pair.Item1.Extent.StartLineNumber;
                string key = (pair.Item1 as StringConstantExpressionAst)?.Value;
                if (key == null) throw Invalid($"{path}:{line}: the key '{pair.Item1.Extent.Text}' is not a plain name.");
                var expression = ((pair.Item2 as PipelineAst)?.PipelineElements.FirstOrDefault() as CommandExpressionAst)?.Expression;
                object item;
                try
                {
                    if (expression == null) throw new InvalidOperationException();
                    item = expression.SafeGetValue();
                }
                catch (Exception)
                {
                    throw Invalid($"{path}:{line}: the value of '{key}' ({pair.Item2.Extent.Text}) is not a constant; a policy file holds only text, numbers and $true/$false.");
                }
                entries.Add((key, item, line));
            }
            return Build(entries, path, profile);
        }

        private static AlexaPrivacyPolicy Build(List<(string Key, object Value, int Line)> entries, string source, SiteProfile profile)
        {
            var policy = new AlexaPrivacyPolicy { Source = source };
            string Where(int line) => line > 0 ? $"{source}:{line}: " : "";
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (key, raw, line) in entries)
            {
                object value = raw is PSObject w ? w.BaseObject : raw;
                string name = key?.Trim();
                if (string.IsNullOrEmpty(name)) throw Invalid($"{Where(line)}a key is empty.");
                if (!seen.Add(name)) throw Invalid($"{Where(line)}'{name}' appears twice.");
                if (string.Equals(name, DeleteRecordingsOlderThanKey, StringComparison.OrdinalIgnoreCase))
                {
                    policy.DeleteRecordingsOlderThan = Age(value, Where(line));
                    continue;
                }
                string canonical = profile.Settings.Keys.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
                if (canonical == null)
                {
                    throw Invalid($"{Where(line)}'{name}' is not a policy key. Use one of: {string.Join(", ", profile.Settings.Keys.Concat(new[] { DeleteRecordingsOlderThanKey }))}.");
                }
                try
                {
                    policy._settings.Add(SettingRequest.FromPolicy(profile, canonical, value));
                }
                catch (AlexaException e)
                {
                    throw Invalid($"{Where(line)}{canonical}: {e.Message}");
                }
            }
            if (policy._settings.Count == 0 && policy.DeleteRecordingsOlderThan == null)
            {
                throw Invalid($"{(source == "(hashtable)" ? "" : source + ": ")}the policy names nothing to enforce. Use one or more of: {string.Join(", ", profile.Settings.Keys.Concat(new[] { DeleteRecordingsOlderThanKey }))}.");
            }
            // Page order: the same order as Get-AlexaDataSetting, whatever order the file used.
            var order = profile.Settings.Keys.ToList();
            policy._settings.Sort((a, b) => order.IndexOf(a.Name).CompareTo(order.IndexOf(b.Name)));
            return policy;
        }

        private static TimeSpan Age(object value, string where)
        {
            TimeSpan age;
            switch (value)
            {
                case TimeSpan span: age = span; break;
                case int days: age = TimeSpan.FromDays(days); break;
                case long days: age = TimeSpan.FromDays(days); break;
                case double days: age = TimeSpan.FromDays(days); break;
                case string text when TimeSpan.TryParse(text.Trim(), CultureInfo.InvariantCulture, out var parsed) && text.Trim().Contains("."):
                    age = parsed; break;
                case string text when int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var days):
                    age = TimeSpan.FromDays(days); break;
                case string text when TimeSpan.TryParse(text.Trim(), CultureInfo.InvariantCulture, out var parsed):
                    age = parsed; break;
                default:
                    throw Invalid($"{where}{DeleteRecordingsOlderThanKey} = '{value}' is not an age: use days.hours:minutes:seconds such as '7.00:00:00', or a number of days.");
            }
            if (age < TimeSpan.FromHours(1) || age > TimeSpan.FromDays(36500))
            {
                throw Invalid($"{where}{DeleteRecordingsOlderThanKey} = '{value}' is out of range: give at least one hour (for example '1.00:00:00' for a day).");
            }
            return age;
        }

        private static AlexaException Invalid(string message) =>
            new AlexaException(AlexaErrorId.PolicyInvalid, ErrorCategory.InvalidData, "The privacy policy is not valid: " + message)
            { RecommendedAction = "Fix the policy: see Get-Help Test-AlexaPrivacyPolicy -Parameter Policy for the keys and values." };
    }

    /// <summary>One way an account differs from the policy.</summary>
    public sealed class AlexaPolicyDifference
    {
        /// <summary>A setting name, or DeleteRecordingsOlderThan.</summary>
        public string Setting { get; set; }
        public string Wanted { get; set; }
        public string Actual { get; set; }
        /// <summary>For DeleteRecordingsOlderThan: how many recordings are older than the cutoff.</summary>
        public int? Recordings { get; set; }

        public override string ToString() => Recordings.HasValue
            ? $"{Setting}: {Recordings} recording(s) older than {Wanted}"
            : $"{Setting}: {Actual} (wanted {Wanted})";
    }

    /// <summary>One account against a policy: from Test- (what differs) or Set-AlexaPrivacyPolicy (what changed and what still differs).</summary>
    public sealed class AlexaPolicyResult
    {
        public string Account { get; set; }
        public string Marketplace { get; set; }
        /// <summary>True when nothing differs (after the changes, for Set-AlexaPrivacyPolicy).</summary>
        public bool Compliant { get; set; }
        /// <summary>What differs from the policy (before any change for Test-, what is left after Set-).</summary>
        public AlexaPolicyDifference[] Differences { get; set; } = new AlexaPolicyDifference[0];
        /// <summary>Every setting the policy names, as the account holds it: name to value.</summary>
        public System.Collections.Specialized.OrderedDictionary Settings { get; set; } = new System.Collections.Specialized.OrderedDictionary(StringComparer.OrdinalIgnoreCase);
        /// <summary>Recordings older than the policy's cutoff when it was read; null when the policy keeps recordings.</summary>
        public int? RecordingsOlderThanCutoff { get; set; }
        /// <summary>The instant before which recordings count as too old.</summary>
        public DateTimeOffset? Cutoff { get; set; }
        /// <summary>Set-AlexaPrivacyPolicy: the settings it changed (Changed = $true each).</summary>
        public AlexaSettingChange[] Changes { get; set; } = new AlexaSettingChange[0];
        /// <summary>Set-AlexaPrivacyPolicy: the deletion of recordings older than the cutoff, or null when none were.</summary>
        public AlexaVoiceDeletion Deletion { get; set; }
        /// <summary>"Test" or "Set".</summary>
        public string Mode { get; set; }
        public DateTimeOffset Time { get; set; }

        public override string ToString() => $"{Account}: {(Compliant ? "compliant" : string.Join("; ", Differences.Select(d => d.ToString())))}";
    }
}

namespace AlexaPrivacy
{
    /// <summary>What Export-AlexaPrivacyReport wrote (-PassThru).</summary>
    public sealed class AlexaPrivacyReport
    {
        public string Path { get; set; }
        /// <summary>The JSON snapshot (-JsonPath) to pass as -Previous next time; null when none was written.</summary>
        public string JsonPath { get; set; }
        public DateTimeOffset Generated { get; set; }
        public int Accounts { get; set; }
        public int Compliant { get; set; }
        public int NotCompliant { get; set; }
        /// <summary>Accounts that raised an error: nothing (or not everything) could be read or changed.</summary>
        public int Failed { get; set; }
        /// <summary>The accounts that failed; the report names each with its error id and message.</summary>
        public string[] FailedAccounts { get; set; } = new string[0];
        /// <summary>What changed since the -Previous report, one sentence per change.</summary>
        public string[] ChangesSincePrevious { get; set; } = new string[0];
    }
}
