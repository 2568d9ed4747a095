// The HTML of the privacy report: one self-contained page (inline CSS and SVG, no script, nothing
// fetched) that a manager can read at 1280 px: tiles for compliant, not compliant and failed; one
// row per account with Amazon's labels and why it is not compliant or what failed; a chart of
// recordings per device per week for each account. Every value from an account is encoded.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;

namespace AlexaPrivacy.Reports
{
    internal static class PrivacyReportHtml
    {
        private static string E(object value) => WebUtility.HtmlEncode(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");

        /// <summary>
        /// A colour for series number <paramref name="index"/>: hues a golden angle apart, at three
        /// lightnesses, so that no two series of a report share a colour however many there are.
        /// </summary>
        internal static string Colour(int index)
        {
            double hue = (215 + index * 137.50776405) % 360;
            int lightness = 36 + index % 3 * 12;
            return string.Format(CultureInfo.InvariantCulture, "hsl({0:0.0},{1}%,{2}%)", hue, index % 2 == 0 ? 62 : 48, lightness);
        }

        public static string Render(string title, DateTimeOffset now, IReadOnlyList<ReportRow> rows, IReadOnlyList<ReportRecord> records, ReportLabels labels, DateTimeOffset? previous, IReadOnlyList<string> sinceThen)
        {
            var html = new StringBuilder();
            int failed = rows.Count(r => r.Status == ReportStatus.Failed);
            int notCompliant = rows.Count(r => r.Status == ReportStatus.NotCompliant);
            int compliant = rows.Count(r => r.Status == ReportStatus.Compliant);
            html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n")
                .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .Append("<title>").Append(E(title)).Append("</title>\n<style>\n").Append(Css).Append("</style>\n</head>\n<body>\n<main>\n")
                .Append("<header><h1>").Append(E(title)).Append("</h1><p class=\"muted\">Generated ")
                .Append(E(now.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture))).Append("</p></header>\n");

            html.Append("<section id=\"summary\" aria-label=\"Summary\"><div class=\"tiles\">");
            Tile(html, "accounts-count", rows.Count, "accounts", "");
            Tile(html, "compliant-count", compliant, "compliant", compliant == rows.Count && rows.Count > 0 ? "ok" : "");
            Tile(html, "noncompliant-count", notCompliant, "not compliant", notCompliant > 0 ? "bad" : "ok");
            Tile(html, "failed-count", failed, "failed", failed > 0 ? "bad" : "ok");
            html.Append("</div></section>\n");

            Accounts(html, rows, records, labels);
            if (records.Count > 0) Charts(html, records);

            if (previous.HasValue)
            {
                html.Append("<section id=\"since\"><h2>Since the report of ").Append(E(PlainText.Time(previous.Value))).Append("</h2>\n");
                if (sinceThen.Count == 0) html.Append("<p>Nothing changed.</p>\n");
                else
                {
                    html.Append("<ul>\n");
                    foreach (var line in sinceThen) html.Append("<li>").Append(E(line)).Append("</li>\n");
                    html.Append("</ul>\n");
                }
                html.Append("</section>\n");
            }
            html.Append("<footer class=\"muted\">Written by the AlexaPrivacy PowerShell module. This file fetches nothing and runs no script.</footer>\n</main>\n</body>\n</html>\n");
            return html.ToString();
        }

        private static void Tile(StringBuilder html, string id, int count, string label, string kind) =>
            html.Append("<div class=\"tile").Append(kind.Length > 0 ? " " + kind : "").Append("\"><span class=\"n\" id=\"").Append(id).Append("\">").Append(count).Append("</span><span>").Append(label).Append("</span></div>");

        private static void Accounts(StringBuilder html, IReadOnlyList<ReportRow> rows, IReadOnlyList<ReportRecord> records, ReportLabels labels)
        {
            var named = rows.SelectMany(r => r.Settings.Keys).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var settings = labels.Order.Where(s => named.Contains(s, StringComparer.OrdinalIgnoreCase))
                .Concat(named.Where(s => !labels.Order.Contains(s, StringComparer.OrdinalIgnoreCase))).ToList();
            bool anyCutoff = rows.Any(r => r.RecordingsOlderThanCutoff.HasValue);
            html.Append("<section><h2>Accounts</h2>\n<div class=\"box\">\n<table id=\"accounts\"><caption>Each setting the policy names, as the account holds it (red where it differs from the policy), and what happened</caption>\n<thead><tr><th scope=\"col\">Account</th><th scope=\"col\">Status</th>");
            foreach (var s in settings) html.Append("<th scope=\"col\" data-setting=\"").Append(E(s)).Append("\">").Append(E(labels.Setting(s))).Append("</th>");
            if (anyCutoff) html.Append("<th scope=\"col\" data-setting=\"").Append(AlexaPrivacyPolicy.DeleteRecordingsOlderThanKey).Append("\">").Append(E(labels.Setting(AlexaPrivacyPolicy.DeleteRecordingsOlderThanKey))).Append("</th>");
            html.Append("<th scope=\"col\" class=\"details\">Why, and what changed now</th></tr></thead>\n<tbody>\n");
            foreach (var r in rows.OrderBy(r => r.Status).ThenBy(r => r.Account, StringComparer.OrdinalIgnoreCase))
            {
                string status = r.Status == ReportStatus.Failed ? "failed" : r.Status == ReportStatus.NotCompliant ? "not-compliant" : "compliant";
                var differing = new HashSet<string>(r.Differences.Select(d => d.Setting ?? ""), StringComparer.OrdinalIgnoreCase);
                html.Append("<tr data-account=\"").Append(E(r.Account)).Append("\" data-status=\"").Append(status).Append("\"><th scope=\"row\">")
                    .Append("<span class=\"account\">").Append(Email(r.Account)).Append("</span>");
                if (!string.IsNullOrEmpty(r.Marketplace)) html.Append("<span class=\"muted small\">").Append(E(r.Marketplace)).Append("</span>");
                html.Append("</th><td class=\"status ").Append(r.Status == ReportStatus.Compliant ? "ok" : "bad").Append("\">")
                    .Append(r.Status == ReportStatus.Failed ? "Failed" : r.Status == ReportStatus.NotCompliant ? "Not compliant" : "Compliant").Append("</td>");
                foreach (var s in settings)
                {
                    r.Settings.TryGetValue(s, out string value);
                    html.Append("<td data-setting=\"").Append(E(s)).Append("\" data-value=\"").Append(E(value)).Append("\"")
                        .Append(differing.Contains(s) ? " class=\"bad\"" : value != null ? " class=\"ok\"" : "").Append(">")
                        .Append(value == null ? "&ndash;" : E(labels.Value(value))).Append("</td>");
                }
                if (anyCutoff)
                {
                    html.Append("<td data-setting=\"").Append(AlexaPrivacyPolicy.DeleteRecordingsOlderThanKey).Append("\"")
                        .Append(differing.Contains(AlexaPrivacyPolicy.DeleteRecordingsOlderThanKey) ? " class=\"bad\"" : r.RecordingsOlderThanCutoff.HasValue ? " class=\"ok\"" : "").Append(">")
                        .Append(r.RecordingsOlderThanCutoff.HasValue ? E(r.RecordingsOlderThanCutoff.Value) : "&ndash;").Append("</td>");
                }
                html.Append("<td class=\"details\">");
                Details(html, r, records, labels);
                html.Append("</td></tr>\n");
            }
            if (rows.Count == 0) html.Append("<tr><td colspan=\"").Append(3 + settings.Count + (anyCutoff ? 1 : 0)).Append("\">No accounts were given.</td></tr>\n");
            html.Append("</tbody></table>\n</div>\n</section>\n");
        }

        // Why the account is not compliant (each setting: found and wanted; the recordings older than the cutoff),
        // what failed (error id and message), and what was changed now. When voice records were given,
        // the recordings older than the cutoff are named by device, with the oldest one's time.
        private static void Details(StringBuilder html, ReportRow r, IReadOnlyList<ReportRecord> records, ReportLabels labels)
        {
            var lines = new List<string>();
            foreach (var e in r.Errors)
            {
                lines.Add("<p class=\"error\" data-error-id=\"" + E(e.ErrorId) + "\"><code>" + E(e.ErrorId) + "</code> " + E(e.Message) + "</p>");
            }
            if (!r.HasResult && r.Errors.Count > 0) lines.Add("<p class=\"muted\">Nothing was read from this account.</p>");
            foreach (var d in r.Differences)
            {
                if (d.Recordings.HasValue || string.Equals(d.Setting, AlexaPrivacyPolicy.DeleteRecordingsOlderThanKey, StringComparison.OrdinalIgnoreCase))
                {
                    int n = d.Recordings ?? r.RecordingsOlderThanCutoff ?? 0;
                    string text = $"{n} recording{(n == 1 ? "" : "s")} older than {PlainText.Duration(d.Wanted)}" + (r.Cutoff.HasValue ? $" (before {PlainText.Time(r.Cutoff.Value)})" : "") + " still kept";
                    var old = r.Cutoff.HasValue
                        ? records.Where(x => string.Equals(x.Account, r.Account, StringComparison.OrdinalIgnoreCase) && x.Time < r.Cutoff.Value).ToList()
                        : new List<ReportRecord>();
                    if (old.Count > 0)
                    {
                        text += ": " + string.Join(", ", old.GroupBy(x => x.Device).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}"))
                            + $", the oldest from {PlainText.Time(old.Min(x => x.Time))}";
                    }
                    lines.Add("<p class=\"why\" data-setting=\"" + E(d.Setting) + "\">" + E(text) + "</p>");
                }
                else
                {
                    lines.Add("<p class=\"why\" data-setting=\"" + E(d.Setting) + "\">" + E($"{labels.Setting(d.Setting)}: {labels.Value(d.Actual)}, wanted {labels.Value(d.Wanted)}") + "</p>");
                }
            }
            foreach (var c in r.Changes)
            {
                lines.Add("<p class=\"changed\" data-setting=\"" + E(c.Setting) + "\">" + E($"Changed now: {labels.Setting(c.Setting)} from {labels.Value(c.OldValue)} to {labels.Value(c.NewValue)}") + "</p>");
            }
            if (r.Deleted > 0) lines.Add("<p class=\"changed\">" + E($"Deleted now: {r.Deleted} recording{(r.Deleted == 1 ? "" : "s")} older than the cutoff") + "</p>");
            html.Append(lines.Count == 0 ? "&ndash;" : string.Join("", lines));
        }

        // One chart per account: stacked bars per week (Monday to Sunday, local time), one colour per device.
        // A device is counted only with its own account's records, and every series of the report has its own colour.
        private static void Charts(StringBuilder html, IReadOnlyList<ReportRecord> records)
        {
            DateTime WeekOf(DateTimeOffset t)
            {
                var day = t.ToLocalTime().Date;
                return day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
            }
            var first = WeekOf(records.Min(r => r.Time));
            var last = WeekOf(records.Max(r => r.Time));
            var weeks = new List<DateTime>();
            for (var w = first; w <= last && weeks.Count < 104; w = w.AddDays(7)) weeks.Add(w);
            if (weeks.Count == 104) weeks = weeks.Skip(weeks.Count - 52).ToList();
            var accounts = records.GroupBy(r => r.Account, StringComparer.OrdinalIgnoreCase).OrderBy(g => g.Key, StringComparer.OrdinalIgnoreCase).ToList();
            html.Append("<section id=\"chart\"><h2>Recordings per device per week</h2>\n");
            int series = 0;
            foreach (var account in accounts)
            {
                var devices = account.GroupBy(r => r.Device).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).ToList();
                var colours = devices.ToDictionary(d => d, d => Colour(series++));
                var counts = account.GroupBy(r => (WeekOf(r.Time), r.Device)).ToDictionary(g => g.Key, g => g.Count());
                int highest = Math.Max(1, weeks.Max(w => devices.Sum(d => counts.TryGetValue((w, d), out var n) ? n : 0)));
                int step = (highest + 3) / 4;
                int max = step * 4; // four whole-number gridlines
                const int height = 160, left = 44, bottom = 28, top = 12, gap = 4;
                int barWidth = Math.Max(6, Math.Min(64, (1100 - left - 16) / Math.Max(1, weeks.Count) - gap));
                int width = left + weeks.Count * (barWidth + gap) + 16;
                html.Append("<figure class=\"chart\" data-account=\"").Append(E(account.Key)).Append("\"><figcaption><strong>").Append(E(account.Key)).Append("</strong> <span class=\"muted\">")
                    .Append(account.Count()).Append(" recording").Append(account.Count() == 1 ? "" : "s").Append(" on ").Append(devices.Count).Append(" device").Append(devices.Count == 1 ? "" : "s").Append("</span></figcaption>\n")
                    .Append("<svg role=\"img\" aria-label=\"").Append(E($"Recordings per device per week for {account.Key}")).Append("\" width=\"").Append(width).Append("\" height=\"").Append(height + bottom + top)
                    .Append("\" viewBox=\"0 0 ").Append(width).Append(' ').Append(height + bottom + top).Append("\">");
                for (int tick = 0; tick <= 4; tick++)
                {
                    double y = top + height - height * tick / 4.0;
                    html.Append("<line x1=\"").Append(left).Append("\" x2=\"").Append(width - 8).Append("\" y1=\"").Append(Num(y)).Append("\" y2=\"").Append(Num(y)).Append("\" class=\"grid\"/>")
                        .Append("<text x=\"").Append(left - 6).Append("\" y=\"").Append(Num(y + 4)).Append("\" text-anchor=\"end\">").Append(step * tick).Append("</text>");
                }
                for (int i = 0; i < weeks.Count; i++)
                {
                    double x = left + gap + i * (barWidth + gap);
                    double y = top + height;
                    foreach (var device in devices)
                    {
                        if (!counts.TryGetValue((weeks[i], device), out int n) || n == 0) continue;
                        double h = (double)height * n / max;
                        y -= h;
                        html.Append("<rect class=\"bar\" data-account=\"").Append(E(account.Key)).Append("\" data-device=\"").Append(E(device)).Append("\" data-week=\"").Append(weeks[i].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append("\" data-count=\"").Append(n)
                            .Append("\" x=\"").Append(Num(x)).Append("\" y=\"").Append(Num(y)).Append("\" width=\"").Append(barWidth).Append("\" height=\"").Append(Num(h)).Append("\" fill=\"").Append(colours[device]).Append("\">")
                            .Append("<title>").Append(E($"{device}, week of {weeks[i].ToString("d MMM yyyy", CultureInfo.InvariantCulture)}: {n}")).Append("</title></rect>");
                    }
                    if (weeks.Count <= 16 || i % (weeks.Count / 12 + 1) == 0)
                    {
                        html.Append("<text x=\"").Append(Num(x + barWidth / 2.0)).Append("\" y=\"").Append(top + height + 16).Append("\" text-anchor=\"middle\">").Append(E(weeks[i].ToString("d MMM", CultureInfo.InvariantCulture))).Append("</text>");
                    }
                }
                html.Append("</svg>\n<ul class=\"legend\">");
                foreach (var device in devices)
                {
                    html.Append("<li data-device=\"").Append(E(device)).Append("\"><span class=\"swatch\" style=\"background:").Append(colours[device]).Append("\"></span>").Append(E(device))
                        .Append(" (").Append(account.Count(r => r.Device == device)).Append(")</li>");
                }
                html.Append("</ul></figure>\n");
            }
            html.Append("</section>\n");
        }

        // An email may break before its @ (and anywhere, as a last resort), never mid-word first.
        private static string Email(string account)
        {
            int at = account?.IndexOf('@') ?? -1;
            return at > 0 ? E(account.Substring(0, at)) + "<wbr>" + E(account.Substring(at)) : E(account);
        }

        private static string Num(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

        private const string Css = @"
:root { color-scheme: light; }
*, *::before, *::after { box-sizing: border-box; }
body { margin: 0; background: #f4f5f7; color: #1a202c; font: 15px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; }
main { max-width: 1200px; margin: 0 auto; padding: 24px; }
h1 { margin: 0 0 4px; font-size: 28px; }
h2 { margin: 32px 0 12px; font-size: 20px; }
p { margin: 0 0 4px; }
.muted { color: #5a6472; } .small { display: block; font-size: 12px; font-weight: 400; }
.tiles { display: flex; gap: 16px; flex-wrap: wrap; margin-top: 16px; }
.tile { background: #fff; border-radius: 10px; padding: 12px 20px; min-width: 150px; box-shadow: 0 1px 3px rgba(0,0,0,.12); border-left: 8px solid #a0aec0; }
.tile.ok { border-left-color: #2f855a; } .tile.bad { border-left-color: #c53030; }
.tile .n { display: block; font-size: 36px; font-weight: 700; }
.box { max-width: 100%; overflow-x: auto; background: #fff; box-shadow: 0 1px 3px rgba(0,0,0,.12); border-radius: 10px; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; padding: 10px 10px 8px; color: #5a6472; }
th, td { padding: 8px 10px; text-align: left; border-bottom: 1px solid #e2e8f0; vertical-align: top; overflow-wrap: break-word; }
.account, .error, .why, .changed { overflow-wrap: anywhere; }
thead th { background: #edf2f7; font-size: 13px; }
th.details, td.details { min-width: 18em; }
tbody th { font-weight: 600; min-width: 11em; }
td.ok { background: #e6f4ea; color: #22543d; } td.bad { background: #fde8e8; color: #9b2c2c; font-weight: 600; }
td.status { white-space: nowrap; }
td.details { font-size: 14px; }
.error code { background: #9b2c2c; color: #fff; border-radius: 4px; padding: 0 4px; font-size: 12px; }
.error { color: #9b2c2c; } .why { color: #9b2c2c; } .changed { color: #22543d; }
figure.chart { margin: 0 0 20px; background: #fff; box-shadow: 0 1px 3px rgba(0,0,0,.12); border-radius: 10px; padding: 12px 16px; overflow-x: auto; }
figcaption { margin-bottom: 6px; overflow-wrap: anywhere; }
svg { display: block; max-width: 100%; height: auto; }
svg text { font-size: 11px; fill: #4a5568; } svg .grid { stroke: #e2e8f0; }
.legend { list-style: none; padding: 0; margin: 8px 0 0; display: flex; gap: 6px 16px; flex-wrap: wrap; overflow-wrap: anywhere; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }
#since li { overflow-wrap: anywhere; }
footer { margin-top: 40px; font-size: 13px; }
";
    }
}
