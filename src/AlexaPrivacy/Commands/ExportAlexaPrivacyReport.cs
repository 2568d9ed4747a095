// Export-AlexaPrivacyReport: one self-contained HTML page (inline CSS and SVG, nothing fetched)
// from the results of Test-/Set-AlexaPrivacyPolicy, the errors of the same run and, optionally,
// voice records: every account given, compliant, not compliant with why, or failed with its
// error; recordings per device per week for each account; and what changed since an earlier
// report's JSON snapshot. The page itself is Reports/PrivacyReportHtml.cs.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Text;
using System.Text.Json;
using AlexaPrivacy.Reports;
using AlexaPrivacy.Site;

namespace AlexaPrivacy.Commands
{
    [Cmdlet(VerbsData.Export, "AlexaPrivacyReport")]
    [OutputType(typeof(AlexaPrivacyReport))]
    public sealed class ExportAlexaPrivacyReportCommand : PSCmdlet
    {
        /// <summary>
        /// AlexaPolicyResult objects from Test- or Set-AlexaPrivacyPolicy, the ErrorRecords of the same run
        /// (-ErrorVariable), and AlexaVoiceRecord objects from Get-AlexaVoiceHistory; live or deserialized.
        /// </summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [AllowNull]
        public PSObject InputObject { get; set; }

        /// <summary>The HTML file to write.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        /// <summary>Also writes the report's data as JSON here: the -Previous of the next report.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string JsonPath { get; set; }

        /// <summary>The JSON of an earlier report (its -JsonPath): the report then shows what changed since.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Previous { get; set; }

        /// <summary>A title for the page, such as the name of the household or office.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Title { get; set; } = "Alexa privacy report";

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        private readonly ReportInput _input = new ReportInput();

        protected override void ProcessRecord()
        {
            if (InputObject == null) return;
            if (!_input.Add(InputObject))
            {
                string kind = InputObject.BaseObject is PSCustomObject ? InputObject.TypeNames.FirstOrDefault() ?? "PSCustomObject" : InputObject.BaseObject.GetType().Name;
                WriteError(AlexaException.InvalidInput($"Export-AlexaPrivacyReport takes the output of Test-AlexaPrivacyPolicy, Set-AlexaPrivacyPolicy and Get-AlexaVoiceHistory and the errors of the same run (-ErrorVariable), not {kind}.").ToErrorRecord(InputObject));
            }
        }

        protected override void EndProcessing()
        {
            string path = GetUnresolvedProviderPathFromPSPath(Path);
            string jsonPath = JsonPath == null ? null : GetUnresolvedProviderPathFromPSPath(JsonPath);
            var now = DateTimeOffset.Now;
            var rows = _input.Rows;
            var records = _input.Records;
            SiteProfile profile;
            try { profile = SiteProfile.Resolve(); }
            catch (AlexaException) { profile = SiteProfile.Embedded; }
            var labels = new ReportLabels(profile);
            var snapshot = ReportSnapshot.From(rows, now);
            ReportSnapshot previous = null;
            if (Previous != null)
            {
                string previousPath = GetUnresolvedProviderPathFromPSPath(Previous);
                try
                {
                    previous = JsonSerializer.Deserialize<ReportSnapshot>(File.ReadAllText(previousPath), ReportSnapshot.Options);
                }
                catch (Exception e) when (e is IOException || e is JsonException || e is UnauthorizedAccessException || e is NotSupportedException)
                {
                    ThrowTerminatingError(AlexaException.InvalidInput($"The previous report '{Previous}' cannot be read as a report's JSON (-JsonPath): {e.Message}").ToErrorRecord(Previous));
                }
            }
            var sinceThen = previous == null ? new List<string>() : snapshot.ChangesSince(previous, labels);
            string html = PrivacyReportHtml.Render(Title, now, rows, records, labels, previous?.Generated, sinceThen);
            try
            {
                // Both checked before either is written: a link at -JsonPath leaves the HTML as it was too.
                Security.PrivateFiles.CheckReplaceable(path);
                if (jsonPath != null) Security.PrivateFiles.CheckReplaceable(jsonPath);
                Write(path, html);
                if (jsonPath != null) Write(jsonPath, JsonSerializer.Serialize(snapshot, ReportSnapshot.Options));
            }
            catch (Security.UnsafeFileException e)
            {
                ThrowTerminatingError(Execution.VoiceHistoryFile.Unsafe(e).ToErrorRecord(e.Path));
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                ThrowTerminatingError(new AlexaException(AlexaErrorId.InvalidInput, ErrorCategory.WriteError, $"The report cannot be written: {e.Message}").ToErrorRecord(Path));
            }
            WriteVerbose($"Wrote the report of {rows.Count} account(s) and {records.Count} voice record(s) to '{path}'.");
            if (PassThru)
            {
                WriteObject(new AlexaPrivacyReport
                {
                    Path = path,
                    JsonPath = jsonPath,
                    Generated = now,
                    Accounts = rows.Count,
                    Compliant = rows.Count(r => r.Status == ReportStatus.Compliant),
                    NotCompliant = rows.Count(r => r.Status == ReportStatus.NotCompliant),
                    Failed = rows.Count(r => r.Status == ReportStatus.Failed),
                    FailedAccounts = rows.Where(r => r.Status == ReportStatus.Failed).Select(r => r.Account).ToArray(),
                    ChangesSincePrevious = sinceThen.ToArray(),
                });
            }
        }

        // Owner-only (the report names every account and its settings), written beside the target and
        // renamed over it, never through a link.
        private static void Write(string path, string text)
        {
            Security.PrivateFiles.CreateDirectory(System.IO.Path.GetDirectoryName(path));
            Security.PrivateFiles.WriteAllText(path, text);
        }
    }

    /// <summary>The report's data as JSON: what the next report compares with.</summary>
    internal sealed class ReportSnapshot
    {
        internal static readonly JsonSerializerOptions Options = new JsonSerializerOptions { WriteIndented = true, PropertyNameCaseInsensitive = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

        public DateTimeOffset Generated { get; set; }
        public List<ReportAccount> Accounts { get; set; } = new List<ReportAccount>();

        public static ReportSnapshot From(IEnumerable<ReportRow> rows, DateTimeOffset now) => new ReportSnapshot
        {
            Generated = now,
            Accounts = rows.Select(r => new ReportAccount
            {
                Account = r.Account,
                Marketplace = r.Marketplace,
                Status = r.Status.ToString(),
                Compliant = r.Status == ReportStatus.Compliant,
                Settings = r.Settings.ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase),
                RecordingsOlderThanCutoff = r.RecordingsOlderThanCutoff,
                Differences = r.Differences.Select(d => d.Recordings.HasValue
                    ? $"{d.Setting}: {d.Recordings} recording(s) older than {d.Wanted}"
                    : $"{d.Setting}: {d.Actual} (wanted {d.Wanted})").ToList(),
                Errors = r.Errors.Select(e => new ReportAccountError { ErrorId = e.ErrorId, Message = e.Message }).ToList(),
            }).ToList(),
        };

        /// <summary>Sentences on what differs from <paramref name="earlier"/>, account by account, in Amazon's words.</summary>
        public List<string> ChangesSince(ReportSnapshot earlier, ReportLabels labels)
        {
            var lines = new List<string>();
            string Key(ReportAccount a) => (a.Account ?? "") + "|" + (a.Marketplace ?? "");
            var before = (earlier.Accounts ?? new List<ReportAccount>()).GroupBy(Key, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
            var now = Accounts.GroupBy(Key, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
            foreach (var account in Accounts)
            {
                string state = account.StatusText();
                if (!before.TryGetValue(Key(account), out var old))
                {
                    lines.Add($"{account.Account}: new in this report ({state}).");
                    continue;
                }
                string was = old.StatusText();
                if (state != was) lines.Add($"{account.Account}: {(account.Compliant ? "now compliant" : state == "failed" ? "failed" : was == "compliant" ? "no longer compliant" : "now " + state)} (was {was}).");
                foreach (var pair in account.Settings ?? new Dictionary<string, string>())
                {
                    string oldValue = null;
                    old.Settings?.TryGetValue(pair.Key, out oldValue);
                    if (oldValue != null && !string.Equals(oldValue, pair.Value, StringComparison.OrdinalIgnoreCase))
                        lines.Add($"{account.Account}: {labels.Setting(pair.Key)} {labels.Value(oldValue)} -> {labels.Value(pair.Value)}.");
                }
                if (old.RecordingsOlderThanCutoff.HasValue && account.RecordingsOlderThanCutoff.HasValue && old.RecordingsOlderThanCutoff != account.RecordingsOlderThanCutoff)
                    lines.Add($"{account.Account}: recordings older than the cutoff {old.RecordingsOlderThanCutoff} -> {account.RecordingsOlderThanCutoff}.");
            }
            foreach (var old in earlier.Accounts ?? new List<ReportAccount>())
            {
                if (!now.ContainsKey(Key(old))) lines.Add($"{old.Account}: not in this report (it was in the earlier one).");
            }
            return lines;
        }
    }

    internal sealed class ReportAccount
    {
        public string Account { get; set; }
        public string Marketplace { get; set; }
        /// <summary>Compliant, NotCompliant or Failed; null in a report written before failures were reported.</summary>
        public string Status { get; set; }
        public bool Compliant { get; set; }
        public Dictionary<string, string> Settings { get; set; } = new Dictionary<string, string>();
        public int? RecordingsOlderThanCutoff { get; set; }
        public List<string> Differences { get; set; } = new List<string>();
        /// <summary>The errors the account raised: why it failed.</summary>
        public List<ReportAccountError> Errors { get; set; } = new List<ReportAccountError>();

        internal string StatusText() =>
            string.Equals(Status, nameof(ReportStatus.Failed), StringComparison.OrdinalIgnoreCase) ? "failed"
            : Compliant ? "compliant" : "not compliant";
    }

    internal sealed class ReportAccountError
    {
        public string ErrorId { get; set; }
        public string Message { get; set; }
    }
}
