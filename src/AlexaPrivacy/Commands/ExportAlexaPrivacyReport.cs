// Export-AlexaPrivacyReport: one self-contained HTML page (inline CSS and SVG, nothing fetched)
// from the results of Test-/Set-AlexaPrivacyPolicy and, optionally, voice records: who is
// compliant, each setting per account, recordings per device per week, and what changed since
// an earlier report's JSON snapshot.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Text;
using System.Text.Json;

namespace AlexaPrivacy.Commands
{
    [Cmdlet(VerbsData.Export, "AlexaPrivacyReport")]
    [OutputType(typeof(AlexaPrivacyReport))]
    public sealed class ExportAlexaPrivacyReportCommand : PSCmdlet
    {
        /// <summary>AlexaPolicyResult objects from Test- or Set-AlexaPrivacyPolicy, and AlexaVoiceRecord objects from Get-AlexaVoiceHistory.</summary>
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

        private readonly List<AlexaPolicyResult> _results = new List<AlexaPolicyResult>();
        private readonly List<AlexaVoiceRecord> _records = new List<AlexaVoiceRecord>();

        protected override void ProcessRecord()
        {
            switch (InputObject?.BaseObject)
            {
                case null:
                    return;
                case AlexaPolicyResult result:
                    _results.Add(result);
                    return;
                case AlexaVoiceRecord record:
                    _records.Add(record);
                    return;
                // A result that came back over PowerShell remoting (Invoke-AlexaPrivacyPolicy, Invoke-Command), from a job or from Import-Clixml.
                case PSCustomObject _ when Rehydration.Is<AlexaPolicyResult>(InputObject):
                    _results.Add(Rehydration.PolicyResult(InputObject));
                    return;
                default:
                    WriteError(AlexaException.InvalidInput($"Export-AlexaPrivacyReport takes the output of Test-AlexaPrivacyPolicy, Set-AlexaPrivacyPolicy and Get-AlexaVoiceHistory, not {InputObject.BaseObject.GetType().Name}.").ToErrorRecord(InputObject));
                    return;
            }
        }

        protected override void EndProcessing()
        {
            string path = GetUnresolvedProviderPathFromPSPath(Path);
            string jsonPath = JsonPath == null ? null : GetUnresolvedProviderPathFromPSPath(JsonPath);
            var now = DateTimeOffset.Now;
            var snapshot = ReportSnapshot.From(_results, now);
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
            var sinceThen = previous == null ? new List<string>() : snapshot.ChangesSince(previous);
            string html = ReportPage.Render(Title, now, _results, _records, previous, sinceThen);
            try
            {
                Write(path, html);
                if (jsonPath != null) Write(jsonPath, JsonSerializer.Serialize(snapshot, ReportSnapshot.Options));
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                ThrowTerminatingError(new AlexaException(AlexaErrorId.InvalidInput, ErrorCategory.WriteError, $"The report cannot be written: {e.Message}").ToErrorRecord(Path));
            }
            WriteVerbose($"Wrote the report of {_results.Count} account(s) and {_records.Count} voice record(s) to '{path}'.");
            if (PassThru)
            {
                WriteObject(new AlexaPrivacyReport
                {
                    Path = path,
                    JsonPath = jsonPath,
                    Generated = now,
                    Accounts = _results.Count,
                    Compliant = _results.Count(r => r.Compliant),
                    NotCompliant = _results.Count(r => !r.Compliant),
                    ChangesSincePrevious = sinceThen.ToArray(),
                });
            }
        }

        private static void Write(string path, string text)
        {
            string directory = System.IO.Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
            File.WriteAllText(path, text, new UTF8Encoding(false));
        }
    }

    /// <summary>The report's data as JSON: what the next report compares with.</summary>
    internal sealed class ReportSnapshot
    {
        internal static readonly JsonSerializerOptions Options = new JsonSerializerOptions { WriteIndented = true, PropertyNameCaseInsensitive = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

        public DateTimeOffset Generated { get; set; }
        public List<ReportAccount> Accounts { get; set; } = new List<ReportAccount>();

        public static ReportSnapshot From(IEnumerable<AlexaPolicyResult> results, DateTimeOffset now) => new ReportSnapshot
        {
            Generated = now,
            Accounts = results.Select(r => new ReportAccount
            {
                Account = r.Account,
                Marketplace = r.Marketplace,
                Compliant = r.Compliant,
                Settings = r.Settings.Keys.Cast<object>().ToDictionary(k => k.ToString(), k => r.Settings[k]?.ToString()),
                RecordingsOlderThanCutoff = r.RecordingsOlderThanCutoff,
                Differences = r.Differences.Select(d => d.ToString()).ToList(),
            }).ToList(),
        };

        /// <summary>Sentences on what differs from <paramref name="earlier"/>, account by account.</summary>
        public List<string> ChangesSince(ReportSnapshot earlier)
        {
            var lines = new List<string>();
            string Key(ReportAccount a) => (a.Account ?? "") + "|" + (a.Marketplace ?? "");
            var before = (earlier.Accounts ?? new List<ReportAccount>()).GroupBy(Key, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
            var now = Accounts.GroupBy(Key, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
            foreach (var account in Accounts)
            {
                if (!before.TryGetValue(Key(account), out var old))
                {
                    lines.Add($"{account.Account}: new in this report ({(account.Compliant ? "compliant" : "not compliant")}).");
                    continue;
                }
                if (old.Compliant != account.Compliant) lines.Add($"{account.Account}: {(account.Compliant ? "now compliant" : "no longer compliant")} (was {(old.Compliant ? "compliant" : "not compliant")}).");
                foreach (var pair in account.Settings ?? new Dictionary<string, string>())
                {
                    string oldValue = null;
                    old.Settings?.TryGetValue(pair.Key, out oldValue);
                    if (oldValue != null && !string.Equals(oldValue, pair.Value, StringComparison.OrdinalIgnoreCase))
                        lines.Add($"{account.Account}: {pair.Key} {oldValue} -> {pair.Value}.");
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
        public bool Compliant { get; set; }
        public Dictionary<string, string> Settings { get; set; } = new Dictionary<string, string>();
        public int? RecordingsOlderThanCutoff { get; set; }
        public List<string> Differences { get; set; } = new List<string>();
    }

    /// <summary>The HTML of the report. Every value from an account (names, devices, transcripts) is encoded.</summary>
    internal static class ReportPage
    {
        private static readonly string[] Palette = { "#2b6cb0", "#d69e2e", "#38a169", "#805ad5", "#dd6b20", "#319795", "#b83280", "#718096" };

        private static string E(object value) => WebUtility.HtmlEncode(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");

        public static string Render(string title, DateTimeOffset now, List<AlexaPolicyResult> results, List<AlexaVoiceRecord> records, ReportSnapshot previous, List<string> sinceThen)
        {
            var html = new StringBuilder();
            int compliant = results.Count(r => r.Compliant);
            int notCompliant = results.Count - compliant;
            html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n")
                .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .Append("<title>").Append(E(title)).Append("</title>\n<style>\n").Append(Css).Append("</style>\n</head>\n<body>\n<main>\n")
                .Append("<header><h1>").Append(E(title)).Append("</h1><p class=\"muted\">Generated ")
                .Append(E(now.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture))).Append("</p></header>\n");

            // At a glance.
            html.Append("<section id=\"summary\" aria-label=\"Summary\"><div class=\"tiles\">")
                .Append("<div class=\"tile\"><span class=\"n\" id=\"accounts-count\">").Append(results.Count).Append("</span><span>accounts</span></div>")
                .Append("<div class=\"tile ok\"><span class=\"n\" id=\"compliant-count\">").Append(compliant).Append("</span><span>compliant</span></div>")
                .Append("<div class=\"tile ").Append(notCompliant > 0 ? "bad" : "ok").Append("\"><span class=\"n\" id=\"noncompliant-count\">").Append(notCompliant).Append("</span><span>not compliant</span></div>")
                .Append("</div></section>\n");

            // Each setting per account.
            var settings = results.SelectMany(r => r.Settings.Keys.Cast<object>().Select(k => k.ToString())).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            bool anyCutoff = results.Any(r => r.RecordingsOlderThanCutoff.HasValue);
            html.Append("<section><h2>Accounts</h2>\n<table id=\"accounts\"><caption>Each setting per account; red where it differs from the policy</caption>\n<thead><tr><th scope=\"col\">Account</th><th scope=\"col\">Marketplace</th><th scope=\"col\">Compliant</th>");
            foreach (var s in settings) html.Append("<th scope=\"col\">").Append(E(s)).Append("</th>");
            if (anyCutoff) html.Append("<th scope=\"col\">Recordings older than the cutoff</th>");
            html.Append("<th scope=\"col\">Changed now</th></tr></thead>\n<tbody>\n");
            foreach (var r in results.OrderBy(r => r.Compliant).ThenBy(r => r.Account, StringComparer.OrdinalIgnoreCase))
            {
                var differing = new HashSet<string>(r.Differences.Select(d => d.Setting), StringComparer.OrdinalIgnoreCase);
                html.Append("<tr data-account=\"").Append(E(r.Account)).Append("\"><th scope=\"row\">").Append(E(r.Account)).Append("</th><td>").Append(E(r.Marketplace)).Append("</td>")
                    .Append(r.Compliant ? "<td class=\"ok\">Yes</td>" : "<td class=\"bad\">No</td>");
                foreach (var s in settings)
                {
                    object value = r.Settings.Contains(s) ? r.Settings[s] : null;
                    html.Append("<td data-setting=\"").Append(E(s)).Append("\"").Append(differing.Contains(s) ? " class=\"bad\"" : value != null ? " class=\"ok\"" : "").Append(">")
                        .Append(value == null ? "&ndash;" : E(value)).Append("</td>");
                }
                if (anyCutoff)
                {
                    html.Append("<td data-setting=\"").Append(AlexaPrivacyPolicy.DeleteRecordingsOlderThanKey).Append("\"")
                        .Append(differing.Contains(AlexaPrivacyPolicy.DeleteRecordingsOlderThanKey) ? " class=\"bad\"" : "").Append(">")
                        .Append(r.RecordingsOlderThanCutoff.HasValue ? E(r.RecordingsOlderThanCutoff.Value) : "&ndash;").Append("</td>");
                }
                var changed = r.Changes.Select(c => $"{c.Setting}: {c.OldValue} -> {c.NewValue}").ToList();
                if (r.Deletion != null && r.Deletion.Deleted > 0) changed.Add($"{r.Deletion.Deleted} recording(s) deleted");
                html.Append("<td>").Append(changed.Count == 0 ? "&ndash;" : string.Join("<br>", changed.Select(E))).Append("</td></tr>\n");
            }
            html.Append("</tbody></table>\n");
            var withDifferences = results.Where(r => r.Differences.Length > 0).OrderBy(r => r.Account, StringComparer.OrdinalIgnoreCase).ToList();
            if (withDifferences.Count > 0)
            {
                html.Append("<h3>What differs from the policy</h3>\n<ul id=\"differences\">\n");
                foreach (var r in withDifferences)
                    foreach (var d in r.Differences)
                        html.Append("<li><strong>").Append(E(r.Account)).Append("</strong>: ").Append(E(d.ToString())).Append("</li>\n");
                html.Append("</ul>\n");
            }
            html.Append("</section>\n");

            if (records.Count > 0) html.Append(Chart(records));

            if (previous != null)
            {
                html.Append("<section id=\"since\"><h2>Since the report of ").Append(E(previous.Generated.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))).Append("</h2>\n");
                if (sinceThen.Count == 0) html.Append("<p>Nothing changed.</p>\n");
                else
                {
                    html.Append("<ul>\n");
                    foreach (var line in sinceThen) html.Append("<li>").Append(E(line)).Append("</li>\n");
                    html.Append("</ul>\n");
                }
                html.Append("</section>\n");
            }
            html.Append("<footer class=\"muted\">Written by the AlexaPrivacy PowerShell module (Export-AlexaPrivacyReport). This file fetches nothing.</footer>\n</main>\n</body>\n</html>\n");
            return html.ToString();
        }

        // Stacked bars: one per week (Monday to Sunday, local time), one colour per device.
        private static string Chart(List<AlexaVoiceRecord> records)
        {
            DateTime WeekOf(DateTimeOffset t)
            {
                var day = t.ToLocalTime().Date;
                return day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
            }
            var devices = records.GroupBy(r => r.Device ?? "(unknown)").OrderByDescending(g => g.Count()).Select(g => g.Key).ToList();
            var first = WeekOf(records.Min(r => r.Time));
            var last = WeekOf(records.Max(r => r.Time));
            var weeks = new List<DateTime>();
            for (var w = first; w <= last && weeks.Count < 104; w = w.AddDays(7)) weeks.Add(w);
            if (weeks.Count == 104) weeks = weeks.Skip(weeks.Count - 52).ToList();
            var counts = records.GroupBy(r => (WeekOf(r.Time), r.Device ?? "(unknown)")).ToDictionary(g => g.Key, g => g.Count());
            int highest = Math.Max(1, weeks.Max(w => devices.Sum(d => counts.TryGetValue((w, d), out var n) ? n : 0)));
            int step = (highest + 3) / 4;
            int max = step * 4; // four whole-number gridlines
            const int height = 220, left = 44, bottom = 40, top = 16;
            int barWidth = Math.Max(8, Math.Min(48, 900 / Math.Max(1, weeks.Count) - 6));
            int width = left + weeks.Count * (barWidth + 6) + 16;
            var svg = new StringBuilder();
            svg.Append("<section id=\"chart\"><h2>Recordings per device per week</h2>\n")
               .Append("<svg role=\"img\" aria-labelledby=\"chart-title\" width=\"").Append(width).Append("\" height=\"").Append(height + bottom + top).Append("\" viewBox=\"0 0 ").Append(width).Append(' ').Append(height + bottom + top).Append("\">")
               .Append("<title id=\"chart-title\">Recordings per device per week: ").Append(records.Count).Append(" recordings on ").Append(devices.Count).Append(" device(s)</title>");
            for (int tick = 0; tick <= 4; tick++)
            {
                int value = step * tick;
                double y = top + height - height * tick / 4.0;
                svg.Append("<line x1=\"").Append(left).Append("\" x2=\"").Append(width - 8).Append("\" y1=\"").Append(Num(y)).Append("\" y2=\"").Append(Num(y)).Append("\" class=\"grid\"/>")
                   .Append("<text x=\"").Append(left - 6).Append("\" y=\"").Append(Num(y + 4)).Append("\" text-anchor=\"end\">").Append(value).Append("</text>");
            }
            for (int i = 0; i < weeks.Count; i++)
            {
                double x = left + 6 + i * (barWidth + 6);
                double y = top + height;
                foreach (var (device, index) in devices.Select((d, k) => (d, k)))
                {
                    if (!counts.TryGetValue((weeks[i], device), out int n) || n == 0) continue;
                    double h = (double)height * n / max;
                    y -= h;
                    svg.Append("<rect class=\"bar\" data-device=\"").Append(E(device)).Append("\" data-week=\"").Append(weeks[i].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append("\" data-count=\"").Append(n)
                       .Append("\" x=\"").Append(Num(x)).Append("\" y=\"").Append(Num(y)).Append("\" width=\"").Append(barWidth).Append("\" height=\"").Append(Num(h)).Append("\" fill=\"").Append(Palette[index % Palette.Length]).Append("\">")
                       .Append("<title>").Append(E($"{device}, week of {weeks[i]:d MMM yyyy}: {n}")).Append("</title></rect>");
                }
                if (weeks.Count <= 16 || i % (weeks.Count / 12 + 1) == 0)
                {
                    svg.Append("<text x=\"").Append(Num(x + barWidth / 2.0)).Append("\" y=\"").Append(top + height + 16).Append("\" text-anchor=\"middle\">").Append(E(weeks[i].ToString("d MMM", CultureInfo.InvariantCulture))).Append("</text>");
                }
            }
            svg.Append("</svg>\n<ul class=\"legend\">");
            foreach (var (device, index) in devices.Select((d, k) => (d, k)))
            {
                svg.Append("<li><span class=\"swatch\" style=\"background:").Append(Palette[index % Palette.Length]).Append("\"></span>").Append(E(device))
                   .Append(" (").Append(records.Count(r => (r.Device ?? "(unknown)") == device)).Append(")</li>");
            }
            svg.Append("</ul></section>\n");
            return svg.ToString();
        }

        private static string Num(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

        private const string Css = @"
:root { color-scheme: light; }
body { margin: 0; background: #f4f5f7; color: #1a202c; font: 15px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; }
main { max-width: 1200px; margin: 0 auto; padding: 24px; }
h1 { margin: 0 0 4px; font-size: 28px; }
h2 { margin: 32px 0 12px; font-size: 20px; }
.muted { color: #5a6472; }
.tiles { display: flex; gap: 16px; flex-wrap: wrap; margin-top: 16px; }
.tile { background: #fff; border-radius: 10px; padding: 16px 24px; min-width: 160px; box-shadow: 0 1px 3px rgba(0,0,0,.12); border-left: 8px solid #a0aec0; }
.tile.ok { border-left-color: #2f855a; } .tile.bad { border-left-color: #c53030; }
.tile .n { display: block; font-size: 40px; font-weight: 700; }
table { border-collapse: collapse; width: 100%; background: #fff; box-shadow: 0 1px 3px rgba(0,0,0,.12); border-radius: 10px; overflow: hidden; }
caption { text-align: left; padding: 0 0 8px; color: #5a6472; }
th, td { padding: 8px 10px; text-align: left; border-bottom: 1px solid #e2e8f0; vertical-align: top; overflow-wrap: break-word; }
thead th { background: #edf2f7; font-size: 13px; }
td.ok { background: #e6f4ea; color: #22543d; } td.bad { background: #fde8e8; color: #9b2c2c; font-weight: 600; }
svg { background: #fff; border-radius: 10px; box-shadow: 0 1px 3px rgba(0,0,0,.12); max-width: 100%; height: auto; }
svg text { font-size: 11px; fill: #4a5568; } svg .grid { stroke: #e2e8f0; }
.legend { list-style: none; padding: 0; display: flex; gap: 16px; flex-wrap: wrap; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }
footer { margin-top: 40px; font-size: 13px; }
";
    }
}
