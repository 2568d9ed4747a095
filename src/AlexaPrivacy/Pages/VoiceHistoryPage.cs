// "Review Voice History": reads records through the page's own data request (page by page, with
// the page's csrf token and cookies) and deletes only through the page's buttons, like a person.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using AlexaPrivacy.Execution;
using Microsoft.Playwright;

namespace AlexaPrivacy.Pages
{
    internal sealed class VoiceHistoryPage
    {
        public const string PageName = "Review Voice History";

        private readonly AlexaSession _session;
        private readonly Action<string> _verbose;
        private readonly CancellationToken _cancel;
        private IPage _page;
        private Dictionary<string, string> _labels;

        private VoiceHistoryPage(AlexaSession session, Action<string> verbose, CancellationToken cancel)
        {
            _session = session;
            _verbose = verbose ?? (_ => { });
            _cancel = cancel;
        }

        public static async Task<VoiceHistoryPage> OpenAsync(AlexaSession session, Action<string> verbose, CancellationToken cancel)
        {
            var page = new VoiceHistoryPage(session, verbose, cancel);
            await page.LoadAsync();
            return page;
        }

        private TimeSpan ActionTimeout => TimeSpan.FromSeconds(_session.Profile.Timeouts.ActionSeconds);

        private TimeSpan NavigationTimeout => TimeSpan.FromSeconds(_session.Profile.Timeouts.NavigationSeconds);

        private async Task LoadAsync()
        {
            await SessionOpener.GoToAsync(_session, _session.Profile.Paths.VoiceHistory, _verbose, _cancel);
            _page = await SessionOpener.PageAsync(_session, _cancel);
            _labels = PageTools.Labels(_session)?.VoiceHistory;
            if (_labels == null)
            {
                throw new AlexaException(AlexaErrorId.SiteProfileInvalid, ErrorCategory.InvalidData,
                    $"The site profile has no 'voiceHistory' labels for the page language {PageTools.PageLanguage(_session)}.")
                { RecommendedAction = "Add languages.<language>.voiceHistory to the site profile override, or remove the override." };
            }
            var heading = _page.GetByRole(AriaRole.Heading, new() { NameRegex = PageTools.WholeLabel(Label("heading")) });
            if (!await PageTools.WaitUntilAsync(() => PageTools.IsVisibleAsync(heading), NavigationTimeout, _cancel))
            {
                throw await PageTools.PageChangedAsync(_page, _session, PageName, $"heading '{Label("heading")}'");
            }
        }

        private string Label(string key)
        {
            if (_labels.TryGetValue(key, out var label) && !string.IsNullOrWhiteSpace(label)) return label;
            throw new AlexaException(AlexaErrorId.SiteProfileInvalid, ErrorCategory.InvalidData,
                $"The site profile has no label 'voiceHistory.{key}' for the {PageName} page ({PageTools.PageLanguage(_session)}).")
            { RecommendedAction = "Add the label to the site profile override, or remove the override." };
        }

        // ---- reading: the page's own data request -----------------------------------------------

        /// <summary>
        /// Streams the records between two instants (inclusive, Unix ms), newest first, one page of the
        /// feed at a time; stops when <paramref name="onPage"/> returns false.
        /// </summary>
        public async Task ReadAsync(long startMs, long endMs, Func<IReadOnlyList<AlexaVoiceRecord>, Task<bool>> onPage)
        {
            string token = null;
            int pages = 0;
            do
            {
                var (records, next) = await FetchPageAsync(startMs, endMs, token);
                pages++;
                if (!await onPage(records)) return;
                if (next != null && next == token)
                {
                    throw await PageTools.PageChangedAsync(_page, _session, PageName, "next page of records (the feed repeated its paging token)");
                }
                token = next;
            }
            while (token != null);
            _verbose($"Read {pages} page(s) of voice history for {_session.Account}.");
        }

        /// <summary>Every record between two instants, for the deletions that must know what was there before.</summary>
        public async Task<List<AlexaVoiceRecord>> ReadAllAsync(long startMs, long endMs)
        {
            var all = new List<AlexaVoiceRecord>();
            await ReadAsync(startMs, endMs, page => { all.AddRange(page); return Task.FromResult(true); });
            return all;
        }

        private const string FetchScript = @"async ([url, body]) => {
            const meta = document.querySelector('meta[name=""csrf-token""]');
            if (!meta) return '0\n';
            const r = await fetch(url, { method: 'POST', credentials: 'same-origin', redirect: 'follow',
                headers: { 'content-type': 'application/json', 'anti-csrftoken-a2z': meta.content }, body });
            return r.status + '\n' + await r.text();
        }";

        private async Task<(List<AlexaVoiceRecord> Records, string Token)> FetchPageAsync(long startMs, long endMs, string token)
        {
            string url = new Uri(_session.BaseUri, _session.Profile.Paths.VoiceHistoryRecords).AbsoluteUri
                + $"?startTime={startMs.ToString(CultureInfo.InvariantCulture)}&endTime={endMs.ToString(CultureInfo.InvariantCulture)}&pageType=VOICE_HISTORY";
            string body = JsonSerializer.Serialize(new Dictionary<string, string> { ["previousRequestToken"] = token });
            var delay = TimeSpan.FromSeconds(1);
            bool reloaded = false;
            for (int attempt = 1; ; attempt++)
            {
                string answer = await _page.EvaluateAsync<string>(FetchScript, new object[] { url, body }).WithCancellation(_cancel);
                int newline = answer.IndexOf('\n');
                int status = int.Parse(answer.Substring(0, newline), CultureInfo.InvariantCulture);
                string text = answer.Substring(newline + 1);
                if ((status == 429 || status == 503) && attempt < 4)
                {
                    _verbose($"Amazon answered {status} to the voice history request for {_session.Account}; trying again in {delay.TotalSeconds:0} s.");
                    await Task.Delay(delay, _cancel);
                    delay = TimeSpan.FromTicks(delay.Ticks * 2);
                    continue;
                }
                if (status == 429 || status == 503)
                {
                    throw new AlexaException(AlexaErrorId.RateLimited, ErrorCategory.LimitsExceeded,
                        $"Amazon kept answering {status} to the voice history request for {_session.Account}.")
                    { RecommendedAction = "Wait a few minutes, or lower -ThrottleLimit." };
                }
                bool json = status == 200 && text.TrimStart().StartsWith("{", StringComparison.Ordinal);
                if (!json && !reloaded)
                {
                    // A sign-in page or a refused csrf token: the session ended or the token rotated.
                    // Opening the page again signs in when credentials are at hand and gives a fresh token.
                    _verbose($"The voice history request for {_session.Account} was answered with {status} and no records; opening the page again.");
                    reloaded = true;
                    await LoadAsync();
                    continue;
                }
                if (!json)
                {
                    throw new AlexaException(AlexaErrorId.SessionExpired, ErrorCategory.AuthenticationError,
                        $"Amazon refused the voice history request for {_session.Account} ({(status == 0 ? "no csrf token on the page" : status.ToString(CultureInfo.InvariantCulture))}).")
                    { RecommendedAction = "Run Connect-AlexaAccount again." };
                }
                try
                {
                    return Parse(text);
                }
                catch (Exception e) when (e is JsonException || e is InvalidOperationException || e is KeyNotFoundException || e is FormatException)
                {
                    throw new AlexaException(AlexaErrorId.PageChanged, ErrorCategory.InvalidResult,
                        $"The {PageName} data for {_session.Account} is not in the expected shape: {e.Message}", e);
                }
            }
        }

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
                Account = _session.Account,
                Key = item.GetProperty("recordKey").GetString(),
                TimestampMs = timestamp,
                Time = DateTimeOffset.FromUnixTimeMilliseconds(timestamp).ToLocalTime(),
                Device = device,
                Transcript = said ?? replacement,
                Response = response,
                Type = said != null ? "CUSTOMER_TRANSCRIPT" : "ASR_REPLACEMENT_TEXT",
                Session = _session,
            };
        }

        // ---- the browser's calendar: the page's date filters mean local days of the browser -----

        /// <summary>The browser's local day (yyyy-MM-dd) of each instant.</summary>
        public Task<string[]> LocalDaysAsync(IEnumerable<long> instants) =>
            _page.EvaluateAsync<string[]>(@"list => list.map(ms => {
                const d = new Date(ms), p = n => (n < 10 ? '0' : '') + n;
                return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate());
            })", instants.Select(i => (double)i).ToArray()).WithCancellation(_cancel);

        /// <summary>The first and last millisecond of a local day of the browser.</summary>
        public async Task<(long Start, long End)> DayBoundsAsync(string day)
        {
            var bounds = await _page.EvaluateAsync<double[]>(@"day => {
                const p = day.split('-').map(Number);
                return [new Date(p[0], p[1] - 1, p[2]).getTime(), new Date(p[0], p[1] - 1, p[2] + 1).getTime() - 1];
            }", day).WithCancellation(_cancel);
            return ((long)bounds[0], (long)bounds[1]);
        }

        /// <summary>True when an instant is a local midnight of the browser, so that a day filter can express it.</summary>
        public Task<bool> IsLocalMidnightAsync(long instant) =>
            _page.EvaluateAsync<bool>(@"ms => { const d = new Date(ms);
                return d.getHours() === 0 && d.getMinutes() === 0 && d.getSeconds() === 0 && d.getMilliseconds() === 0; }", (double)instant).WithCancellation(_cancel);

        // ---- the page's controls ------------------------------------------------------------------

        private ILocator Button(string key) => _page.GetByRole(AriaRole.Button, new() { NameRegex = PageTools.WholeLabel(Label(key)) });

        private ILocator DeleteButtons() => Button("deleteRecording");

        private ILocator FilterWithOption(string key) =>
            _page.GetByRole(AriaRole.Combobox).Filter(new() { Has = _page.GetByRole(AriaRole.Option, new() { NameRegex = PageTools.WholeLabel(Label(key)) }) });

        /// <summary>The device names the page's device filter offers.</summary>
        public async Task<IReadOnlyList<string>> DeviceChoicesAsync()
        {
            var filter = await SingleAsync(FilterWithOption("allDevices"), $"device filter with '{Label("allDevices")}'");
            var names = await filter.Locator("option").AllTextContentsAsync().WithCancellation(_cancel);
            string all = Label("allDevices");
            return names.Select(n => n.Trim()).Where(n => n.Length > 0 && n != all).ToList();
        }

        private async Task<ILocator> SingleAsync(ILocator locator, string what)
        {
            if (!await PageTools.WaitUntilAsync(() => PageTools.IsPresentAsync(locator), NavigationTimeout, _cancel))
            {
                throw await PageTools.PageChangedAsync(_page, _session, PageName, what);
            }
            return locator.First;
        }

        /// <summary>
        /// Sets the page's filters to the local days <paramref name="startDay"/>..<paramref name="endDay"/>
        /// (Custom) and a device (null: all devices), then shows the whole list; returns how many records it shows.
        /// </summary>
        public async Task<int> FilterAsync(string startDay, string endDay, string device)
        {
            var deviceFilter = await SingleAsync(FilterWithOption("allDevices"), $"device filter with '{Label("allDevices")}'");
            await deviceFilter.SelectOptionAsync(new SelectOptionValue { Label = device ?? Label("allDevices") }).WithCancellation(_cancel);
            var dateFilter = await SingleAsync(FilterWithOption("filterCustom"), $"date filter with '{Label("filterCustom")}'");
            await dateFilter.SelectOptionAsync(new SelectOptionValue { Label = Label("filterCustom") }).WithCancellation(_cancel);
            var start = _page.GetByLabel(Label("startDate"), new() { Exact = true });
            var end = _page.GetByLabel(Label("endDate"), new() { Exact = true });
            await SingleAsync(start, $"date input '{Label("startDate")}'");
            await SingleAsync(end, $"date input '{Label("endDate")}'");
            await start.First.FillAsync(startDay).WithCancellation(_cancel);
            await end.First.FillAsync(endDay).WithCancellation(_cancel);
            return await ShowWholeListAsync();
        }

        /// <summary>Presses "Show more" until the page says "End of list" (or "No records found"); returns the records shown.</summary>
        private async Task<int> ShowWholeListAsync()
        {
            var more = Button("showMore");
            var end = _page.GetByText(Label("endOfList"), new() { Exact = true }).Or(_page.GetByText(Label("noRecords"), new() { Exact = true }));
            while (true)
            {
                bool ready = await PageTools.WaitUntilAsync(async () =>
                    await PageTools.IsVisibleAsync(end) || await IsEnabledNowAsync(more), NavigationTimeout, _cancel);
                if (!ready)
                {
                    throw await PageTools.PageChangedAsync(_page, _session, PageName, $"'{Label("showMore")}' or '{Label("endOfList")}' at the end of the list", AlexaErrorId.Timeout);
                }
                if (await PageTools.IsVisibleAsync(end)) return await DeleteButtons().CountAsync().WithCancellation(_cancel);
                await more.First.ClickAsync().WithCancellation(_cancel);
            }
        }

        /// <summary>Whether a button is there and enabled at this moment; the page replaces "Show more" when its data arrives, so never wait for it.</summary>
        private static async Task<bool> IsEnabledNowAsync(ILocator button)
        {
            try
            {
                return await PageTools.IsVisibleAsync(button) && await button.First.IsEnabledAsync(new() { Timeout = 500 });
            }
            catch (Exception e) when (e is TimeoutException || e is PlaywrightException)
            {
                return false;
            }
        }

        /// <summary>Presses "Delete all of my recordings" and the dialog's "Delete": deletes what the filters show.</summary>
        public async Task DeleteAllShownAsync()
        {
            var deleteAll = await SingleAsync(Button("deleteAll"), $"button '{Label("deleteAll")}'");
            await deleteAll.ClickAsync().WithCancellation(_cancel);
            var confirm = _page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { NameRegex = PageTools.WholeLabel(Label("delete")) });
            if (!await PageTools.WaitUntilAsync(() => PageTools.IsVisibleAsync(confirm), ActionTimeout, _cancel))
            {
                throw await PageTools.PageChangedAsync(_page, _session, PageName, $"confirmation with a '{Label("delete")}' button after '{Label("deleteAll")}'");
            }
            await ClickAndWaitForChangeAsync(confirm.First);
        }

        /// <summary>
        /// Deletes the record shown at <paramref name="index"/> (0 = newest) with its own "Delete recording"
        /// button, after checking that the row shows the expected device and words.
        /// </summary>
        public async Task DeleteShownAsync(int index, AlexaVoiceRecord expected)
        {
            var buttons = DeleteButtons();
            int before = await buttons.CountAsync().WithCancellation(_cancel);
            if (index >= before)
            {
                throw await PageTools.PageChangedAsync(_page, _session, PageName, $"record number {index + 1} (only {before} are shown)");
            }
            var row = _page.GetByRole(AriaRole.Listitem).Filter(new() { Has = buttons }).Nth(index);
            string text = await row.InnerTextAsync().WithCancellation(_cancel);
            bool sameDevice = string.IsNullOrEmpty(expected.Device) || text.Contains(expected.Device);
            bool sameWords = expected.Type != "CUSTOMER_TRANSCRIPT" || text.Contains("\"" + expected.Transcript + "\"") || text.Contains("\u201C" + expected.Transcript + "\u201D");
            if (!sameDevice || !sameWords)
            {
                throw await PageTools.PageChangedAsync(_page, _session, PageName,
                    $"record of {expected.Time:g} on '{expected.Device}' at the place where the data request put it; nothing was deleted for it");
            }
            await ClickAndWaitForChangeAsync(row.GetByRole(AriaRole.Button, new() { NameRegex = PageTools.WholeLabel(Label("deleteRecording")) }).First);
            if (!await PageTools.WaitUntilAsync(async () => await buttons.CountAsync() < before, ActionTimeout, _cancel))
            {
                throw new AlexaException(AlexaErrorId.ChangeNotPersisted, ErrorCategory.InvalidResult,
                    $"The {PageName} page still shows the record of {expected.Time:g} on '{expected.Device}' for {_session.Account} after '{Label("deleteRecording")}'.");
            }
        }

        /// <summary>Clicks a control that makes the page send its change, and waits for the page's request to be answered.</summary>
        private async Task ClickAndWaitForChangeAsync(ILocator control)
        {
            IResponse response;
            try
            {
                response = await _page.RunAndWaitForResponseAsync(
                    () => control.ClickAsync(),
                    r => r.Request.Method != "GET" && r.Request.ResourceType != "document" && !r.Url.Contains(_session.Profile.Paths.VoiceHistoryRecords),
                    new PageRunAndWaitForResponseOptions { Timeout = PageTools.NavigationTimeoutMs(_session) }).WithCancellation(_cancel);
            }
            catch (TimeoutException e)
            {
                throw new AlexaException(AlexaErrorId.Timeout, ErrorCategory.OperationTimeout,
                    $"The {PageName} page did not send the deletion for {_session.Account} within {_session.Profile.Timeouts.NavigationSeconds} s.", e);
            }
            if (response.Status == 429 || response.Status == 503)
            {
                throw new AlexaException(AlexaErrorId.RateLimited, ErrorCategory.LimitsExceeded,
                    $"Amazon answered {response.Status} to the deletion for {_session.Account}.")
                { RecommendedAction = "Run the command again later; what was deleted stays deleted." };
            }
            if (response.Status == 401 || response.Status == 403)
            {
                throw new AlexaException(AlexaErrorId.SessionExpired, ErrorCategory.AuthenticationError,
                    $"Amazon refused the deletion for {_session.Account} ({response.Status}): the session ended.");
            }
            if (response.Status >= 400)
            {
                throw new AlexaException(AlexaErrorId.ChangeNotPersisted, ErrorCategory.InvalidResult,
                    $"Amazon answered {response.Status} to the deletion for {_session.Account}.");
            }
        }
    }
}
