// "Review Voice History": reads records through the page's own data request (page by page, with
// the page's csrf token and cookies, bounded) and deletes only through the page's buttons, like a
// person. Filters may be selects, listboxes, menus or one combined menu; records may be any
// element holding a "Delete recording" button; the list grows with "Show more" or on scroll.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Playwright;

namespace AlexaPrivacy.Pages
{
    internal sealed partial class VoiceHistoryPage : PrivacyPage
    {
        public const string PageName = "Review Voice History";

        /// <summary>More pages than this in one feed is a feed that does not end.</summary>
        private const int MaxFeedPages = 5000;

        private Dictionary<string, string> _labels;

        internal VoiceHistoryPage(AlexaSession session, Action<string> verbose, CancellationToken cancel)
            : base(session, verbose, cancel)
        {
            _labels = Labels?.VoiceHistory;
        }

        public override string Name => PageName;

        protected override string PagePath => Session.Profile.Paths.VoiceHistory;

        protected override string HeadingText => Label("heading");

        /// <summary>The list shows its first records, or says it has none.</summary>
        protected override async Task<bool> IsRenderedAsync()
        {
            var said = Page.GetByText(Label("endOfList"), new() { Exact = true }).Or(Page.GetByText(Label("noRecords"), new() { Exact = true }))
                .Or(Button(Label("showMore"))).Filter(new() { Visible = true });
            return await Waits.IsPresentAsync(said) || await RecordCountAsync() > 0;
        }

        protected override string MissingWhenNotRendered => $"list of records (neither records nor '{Label("noRecords")}' showed)";

        public static async Task<VoiceHistoryPage> OpenAsync(AlexaSession session, Action<string> verbose, CancellationToken cancel)
        {
            var page = new VoiceHistoryPage(session, verbose, cancel);
            if (page._labels == null)
            {
                throw new AlexaException(AlexaErrorId.SiteProfileInvalid, ErrorCategory.InvalidData,
                    $"The site profile has no 'voiceHistory' labels for the page language {PageText.PageLanguage(session)}.")
                { RecommendedAction = "Add languages.<language>.voiceHistory to the site profile override, or remove the override." };
            }
            await page.LoadAsync(reuse: true);
            return page;
        }

        private string Label(string key)
        {
            if (_labels != null && _labels.TryGetValue(key, out var label) && !string.IsNullOrWhiteSpace(label)) return label;
            throw new AlexaException(AlexaErrorId.SiteProfileInvalid, ErrorCategory.InvalidData,
                $"The site profile has no label 'voiceHistory.{key}' for the {PageName} page ({PageText.PageLanguage(Session)}).")
            { RecommendedAction = "Add the label to the site profile override, or remove the override." };
        }

        private string OptionalLabel(string key) => _labels != null && _labels.TryGetValue(key, out var label) && !string.IsNullOrWhiteSpace(label) ? label : null;

        // ---- reading: the page's own data request -----------------------------------------------

        /// <summary>
        /// Streams the records between two instants (inclusive, Unix ms), newest first, one page of the
        /// feed at a time; stops when <paramref name="onPage"/> returns false.
        /// </summary>
        public async Task ReadAsync(long startMs, long endMs, Func<IReadOnlyList<AlexaVoiceRecord>, Task<bool>> onPage)
        {
            string token = null;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            int pages = 0;
            do
            {
                string previous = token;
                var (records, next) = await RetryingAsync(() => FetchPageAsync(startMs, endMs, previous), reloadOnTransient: false, reloadOnSessionEnd: true);
                pages++;
                if (!await onPage(records)) return;
                if (next != null && !seen.Add(next))
                {
                    throw await PageErrors.PageChangedAsync(Page, Session, PageName, "next page of records (the feed repeated its paging token)");
                }
                if (pages >= MaxFeedPages && next != null)
                {
                    throw await PageErrors.PageChangedAsync(Page, Session, PageName, $"end of the records after {MaxFeedPages} pages of the feed");
                }
                token = next;
            }
            while (token != null);
            Verbose($"Read {pages} page(s) of voice history for {Session.Account}.");
        }

        /// <summary>Every record between two instants, for the deletions that must know what was there before.</summary>
        public async Task<List<AlexaVoiceRecord>> ReadAllAsync(long startMs, long endMs)
        {
            var all = new List<AlexaVoiceRecord>();
            await ReadAsync(startMs, endMs, page => { all.AddRange(page); return Task.FromResult(true); });
            return all;
        }

        // The fetch gives up by itself (AbortController); the .NET side bounds the whole call as well.
        private const string FetchScript = @"async ([url, body, ms]) => {
            const meta = document.querySelector('meta[name=""csrf-token""]');
            if (!meta) return '0\n';
            const abort = new AbortController();
            const timer = setTimeout(() => abort.abort(), ms);
            try {
                const r = await fetch(url, { method: 'POST', credentials: 'same-origin', redirect: 'follow', signal: abort.signal,
                    headers: { 'content-type': 'application/json', 'anti-csrftoken-a2z': meta.content }, body });
                return r.status + '\n' + await r.text();
            } catch (e) {
                return (e && e.name === 'AbortError' ? '-1' : '-2') + '\n';
            } finally {
                clearTimeout(timer);
            }
        }";

        private async Task<(List<AlexaVoiceRecord> Records, string Token)> FetchPageAsync(long startMs, long endMs, string token)
        {
            string url = new Uri(Session.BaseUri, Session.Profile.Paths.VoiceHistoryRecords).AbsoluteUri
                + $"?startTime={startMs.ToString(CultureInfo.InvariantCulture)}&endTime={endMs.ToString(CultureInfo.InvariantCulture)}&pageType=VOICE_HISTORY";
            string body = JsonSerializer.Serialize(new Dictionary<string, string> { ["previousRequestToken"] = token });
            double ms = Session.Profile.Timeouts.NavigationSeconds * 1000;
            var call = Page.EvaluateAsync<string>(FetchScript, new object[] { url, body, ms });
            if (await Task.WhenAny(call, Task.Delay(TimeSpan.FromMilliseconds(ms + 5000), Cancel)).ConfigureAwait(false) != call)
            {
                _ = call.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
                Cancel.ThrowIfCancellationRequested();
                throw Unanswered(null);
            }
            string answer;
            try
            {
                answer = await call;
            }
            catch (PlaywrightException e) when (e.Message.IndexOf("Execution context was destroyed", StringComparison.Ordinal) >= 0)
            {
                // The page left for the sign-in meanwhile.
                throw new SessionEndedFault("the voice history request");
            }
            int newline = answer.IndexOf('\n');
            int status = int.Parse(answer.Substring(0, newline), CultureInfo.InvariantCulture);
            string text = answer.Substring(newline + 1);
            if (status == -1) throw Unanswered(null);
            if (status == -2) throw new TransientFault(0, "the voice history request (the connection dropped)");
            if (ThrottlePolicy.IsTransient(status)) throw new TransientFault(status, "the voice history request");
            if (SessionEndedFault.EndsData(status, text))
            {
                // A sign-in page or a refused csrf token: the session ended or the token rotated. Opening the
                // page again signs in when credentials are at hand and gives a fresh token.
                Verbose($"The voice history request for {Session.Account} was answered with {(status == 0 ? "no csrf token on the page" : status.ToString(CultureInfo.InvariantCulture))} and no records.");
                throw new SessionEndedFault("the voice history request");
            }
            if (status != 200)
            {
                throw new AlexaException(AlexaErrorId.PageChanged, ErrorCategory.InvalidResult,
                    $"Amazon answered {status.ToString(CultureInfo.InvariantCulture)} to the voice history request for {Session.Account}; nothing was counted or deleted.")
                { RecommendedAction = "Run Test-AlexaSiteCompatibility to see whether the Review Voice History page changed." };
            }
            try
            {
                return Parse(text);
            }
            catch (Exception e) when (e is JsonException || e is InvalidOperationException || e is KeyNotFoundException || e is FormatException)
            {
                throw new AlexaException(AlexaErrorId.PageChanged, ErrorCategory.InvalidResult,
                    $"The {PageName} data for {Session.Account} is not in the expected shape: {e.Message}", e);
            }
        }

        private AlexaException Unanswered(Exception inner) =>
            new AlexaException(AlexaErrorId.Timeout, ErrorCategory.OperationTimeout,
                $"Amazon did not answer the voice history request for {Session.Account} within {Session.Profile.Timeouts.NavigationSeconds} s.", inner)
            { RecommendedAction = "Run the command again later; raise timeouts.navigationSeconds in a site profile override when Amazon is slow from here." };

        private (List<AlexaVoiceRecord>, string) Parse(string text)
        {
            using (var document = JsonDocument.Parse(text))
            {
                var root = document.RootElement;
                var records = new List<AlexaVoiceRecord>();
                if (root.TryGetProperty("customerHistoryRecords", out var list) && list.ValueKind == JsonValueKind.Array)
                {
                    foreach (var item in list.EnumerateArray()) records.Add(ToRecord(item));
                }
                string token = root.TryGetProperty("encodedRequestToken", out var t) && t.ValueKind == JsonValueKind.String && t.GetString().Length > 0
                    ? t.GetString() : null;
                return (records, token);
            }
        }

        private AlexaVoiceRecord ToRecord(JsonElement item)
        {
            long timestamp = item.GetProperty("timestamp").GetInt64();
            string device = item.TryGetProperty("device", out var d) && d.ValueKind == JsonValueKind.Object && d.TryGetProperty("deviceName", out var n) && n.ValueKind == JsonValueKind.String
                ? n.GetString() : null;
            string said = null, replacement = null, response = null;
            if (item.TryGetProperty("voiceHistoryRecordItems", out var items) && items.ValueKind == JsonValueKind.Array)
            {
                foreach (var part in items.EnumerateArray())
                {
                    string type = part.TryGetProperty("recordItemType", out var ty) && ty.ValueKind == JsonValueKind.String ? ty.GetString() : null;
                    string value = part.TryGetProperty("transcriptText", out var tx) && tx.ValueKind == JsonValueKind.String ? tx.GetString() : null;
                    if (string.IsNullOrEmpty(value)) continue;
                    if (type == "CUSTOMER_TRANSCRIPT" && said == null) said = value;
                    else if (type == "ASR_REPLACEMENT_TEXT" && replacement == null) replacement = value;
                    else if (type == "ALEXA_RESPONSE" && response == null) response = value;
                }
            }
            return new AlexaVoiceRecord
            {
                Account = Session.Account,
                Key = item.GetProperty("recordKey").GetString(),
                TimestampMs = timestamp,
                Time = DateTimeOffset.FromUnixTimeMilliseconds(timestamp).ToLocalTime(),
                Device = device,
                Transcript = said ?? replacement,
                Response = response,
                Type = said != null ? "CUSTOMER_TRANSCRIPT" : "ASR_REPLACEMENT_TEXT",
                Session = Session,
            };
        }

        // ---- the browser's calendar: the page's date filters mean local days of the browser -----

        /// <summary>The browser's local day (yyyy-MM-dd) of each instant.</summary>
        public Task<string[]> LocalDaysAsync(IEnumerable<long> instants) =>
            Page.EvaluateAsync<string[]>(@"list => list.map(ms => {
                const d = new Date(ms), p = n => (n < 10 ? '0' : '') + n;
                return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate());
            })", instants.Select(i => (double)i).ToArray()).WithCancellation(Cancel);

        /// <summary>The first and last millisecond of a local day of the browser.</summary>
        public async Task<(long Start, long End)> DayBoundsAsync(string day)
        {
            var bounds = await Page.EvaluateAsync<double[]>(@"day => {
                const p = day.split('-').map(Number);
                return [new Date(p[0], p[1] - 1, p[2]).getTime(), new Date(p[0], p[1] - 1, p[2] + 1).getTime() - 1];
            }", day).WithCancellation(Cancel);
            return ((long)bounds[0], (long)bounds[1]);
        }

        /// <summary>True when an instant is a local midnight of the browser, so that a day filter can express it.</summary>
        public Task<bool> IsLocalMidnightAsync(long instant) =>
            Page.EvaluateAsync<bool>(@"ms => { const d = new Date(ms);
                return d.getHours() === 0 && d.getMinutes() === 0 && d.getSeconds() === 0 && d.getMilliseconds() === 0; }", (double)instant).WithCancellation(Cancel);

    }
}
