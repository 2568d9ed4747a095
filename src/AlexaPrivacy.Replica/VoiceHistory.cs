using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using static AlexaPrivacy.Replica.Html;

namespace AlexaPrivacy.Replica;

/// <summary>A voice record as the admin API accepts it.</summary>
public sealed class RecordInput
{
    public long Timestamp { get; set; }
    public string Device { get; set; }
    public string Transcript { get; set; }
    public string Response { get; set; }
    public string Type { get; set; }
}

/// <summary>Parameters of generated voice history.</summary>
public sealed class GenerateInput
{
    public int Count { get; set; } = 100;
    public List<string> Devices { get; set; }
    public int Days { get; set; } = 30;
    public int Seed { get; set; } = 1;
}

/// <summary>
/// "Review Voice History" (section 3.3): the page, the contract's JSON feed
/// (customer-history-records-v2), the page's own delete requests, and record seeding.
/// </summary>
public static class VoiceHistory
{
    public const string NotIntended = "Audio was not intended for Alexa";
    public const string NotAvailable = "Text not available";
    private const string Prefix = PrivacyPages.Prefix + "/rvh";

    public static void Map(WebApplication app, ReplicaState state)
    {
        app.MapGet(Prefix, (HttpContext ctx) => PrivacyPages.WithPage(ctx, state, (session, account, t) =>
        {
            var config = new
            {
                language = t.Language,
                dateStyle = Labels.DateStyle(t.Language),
                months = Labels.Months(t.Language),
                labels = t.All(),
                rendering = Variant.DefaultConfig(state.Generation), // the default's choices; under a seed Html.PrivacyFrame adds the variant's, which win
            };
            var v = state.Variant;
            return PrivacyFrame(t, t["rvh.title"], session.CsrfToken, PrivacyPages.DisplayName(account), $$"""
                <h1>{{E(t["rvh.title"])}}</h1>
                <div id="status" role="status" aria-live="polite"></div>
                <div id="rvh-root" aria-busy="true"><p class="loading">{{E(t["frame.loading"])}}</p></div>
                """, new[] { "common.js", "variant.js", "rvh.js" }, config, v);
        }));

        app.MapPost(Prefix + "/customer-history-records-v2", async Task<IResult> (HttpContext ctx) => await PrivacyPages.WithDataAsync(ctx, state, async (session, account) =>
        {
            string previous = null;
            if (ctx.Request.ContentLength is > 0 || ctx.Request.Headers.TransferEncoding.Count > 0)
            {
                try
                {
                    var body = await JsonSerializer.DeserializeAsync<JsonElement>(ctx.Request.Body);
                    if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("previousRequestToken", out var tok) && tok.ValueKind == JsonValueKind.String)
                        previous = tok.GetString();
                }
                catch (JsonException) { return Results.Json(new { error = "BadRequest" }, statusCode: 400); }
            }
            var (start, end, device) = Filters(ctx);
            // The contract's feed has no device parameter: under deviceFiltering=page it ignores one, and the page filters.
            if (state.Variant?.Is("deviceFiltering", "page") == true) device = null;
            (long Ts, string Key)? after = null;
            if (!string.IsNullOrEmpty(previous))
            {
                after = DecodeToken(previous);
                if (after == null) return Results.Json(new { error = "InvalidRequestToken" }, statusCode: 400);
            }
            int pageSize = FeedPageSize(state);
            var a = after == null ? null : new VoiceRecord { Timestamp = after.Value.Ts, Key = after.Value.Key };
            var page = state.Store.Records(account,
                r => r.Timestamp >= start && r.Timestamp <= end && (device == null || r.Device == device) && (a == null || RecordOrder.Instance.Compare(r, a) > 0),
                pageSize + 1);
            bool more = page.Count > pageSize;
            if (more) page.RemoveAt(page.Count - 1);
            return Results.Json(new
            {
                customerHistoryRecords = page.Select(r => ToFeed(account, r)).ToList(),
                encodedRequestToken = more ? EncodeToken(page[^1]) : null,
            });
        }));

        app.MapPost(Prefix + "/devices", async Task<IResult> (HttpContext ctx) => await PrivacyPages.WithData(ctx, state, (session, account) =>
        {
            return Results.Json(new { devices = state.Store.DeviceNames(account) });
        }));

        app.MapPost(Prefix + "/delete-records", async Task<IResult> (HttpContext ctx) => await PrivacyPages.WithDataAsync(ctx, state, async (session, account) =>
        {
            var keys = new HashSet<string>(StringComparer.Ordinal);
            try
            {
                var body = await JsonSerializer.DeserializeAsync<JsonElement>(ctx.Request.Body);
                if (body.TryGetProperty("recordKeys", out var arr) && arr.ValueKind == JsonValueKind.Array)
                    foreach (var k in arr.EnumerateArray()) if (k.ValueKind == JsonValueKind.String) keys.Add(k.GetString());
            }
            catch (JsonException) { return Results.Json(new { error = "BadRequest" }, statusCode: 400); }
            return Results.Json(new { deleted = state.Store.DeleteRecords(account, r => keys.Contains(r.Key), state.Faults.Current.DropChanges) });
        }));

        app.MapPost(Prefix + "/delete-all", async Task<IResult> (HttpContext ctx) => await PrivacyPages.WithData(ctx, state, (session, account) =>
        {
            var (start, end, device) = Filters(ctx);
            bool Match(VoiceRecord r) => r.Timestamp >= start && r.Timestamp <= end && (device == null || r.Device == device);
            return Results.Json(new { deleted = state.Store.DeleteRecords(account, Match, state.Faults.Current.DropChanges) });
        }));
    }

    /// <summary>Records per page of the feed: the option, or under pageSize=small a fifth of it (at least 5).</summary>
    public static int FeedPageSize(ReplicaState state)
    {
        int size = Math.Max(1, state.Options.PageSize);
        return state.Variant?.Is("pageSize", "small") == true ? Math.Min(size, Math.Max(5, size / 5)) : size;
    }

    private static (long Start, long End, string Device) Filters(HttpContext ctx)
    {
        long start = long.TryParse(ctx.Request.Query["startTime"], out var s) ? s : 0;
        long end = long.TryParse(ctx.Request.Query["endTime"], out var e) ? e : long.MaxValue;
        string device = ctx.Request.Query["deviceName"];
        return (start, end, string.IsNullOrEmpty(device) ? null : device);
    }

    private static string EncodeToken(VoiceRecord last) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"v1|{last.Timestamp}|{last.Key}"));

    private static (long, string)? DecodeToken(string token)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split('|', 3);
            if (parts.Length == 3 && parts[0] == "v1" && long.TryParse(parts[1], out var ts)) return (ts, parts[2]);
        }
        catch (FormatException) { }
        return null;
    }

    private static object ToFeed(Account account, VoiceRecord r)
    {
        var items = new List<object>
        {
            new { recordItemKey = r.Key + "#1", recordItemType = r.Type, transcriptText = r.Transcript, timestamp = r.Timestamp },
        };
        if (!string.IsNullOrEmpty(r.Response))
            items.Add(new { recordItemKey = r.Key + "#2", recordItemType = "ALEXA_RESPONSE", transcriptText = r.Response, timestamp = r.Timestamp + 900 });
        bool discarded = r.Type == "ASR_REPLACEMENT_TEXT" && r.Transcript == NotIntended;
        return new
        {
            recordKey = r.Key,
            recordType = "VOICE_HISTORY",
            customerId = account.CustomerId,
            timestamp = r.Timestamp,
            device = new { deviceName = r.Device, deviceType = r.DeviceType, serialNumber = r.DeviceSerial },
            utteranceType = discarded ? "DEVICE_ARBITRATION" : "GENERAL",
            activityStatus = discarded ? "DISCARDED_NON_DEVICE_DIRECTED_INTENT" : "SUCCESS",
            voiceHistoryRecordItems = items,
        };
    }

    // ---- storage helpers -----------------------------------------------------------------------

    /// <summary>Deletes the records older than a retention period (all of them for DontSave).</summary>
    public static int ApplyRetention(Account account, Retention retention, DateTimeOffset now)
    {
        long cutoff = retention switch
        {
            Retention.DontSave => long.MaxValue,
            Retention.ThreeMonths => now.AddMonths(-3).ToUnixTimeMilliseconds(),
            Retention.EighteenMonths => now.AddMonths(-18).ToUnixTimeMilliseconds(),
            _ => long.MinValue,
        };
        return cutoff == long.MinValue ? 0 : account.Records.RemoveAll(r => r.Timestamp < cutoff);
    }

    private static string DeviceType(string device)
    {
        var d = device ?? "";
        if (d.Contains("Dot", StringComparison.OrdinalIgnoreCase)) return "A3S5BH2HU6VAYF";
        if (d.Contains("Show", StringComparison.OrdinalIgnoreCase)) return "A4ZP7ZC4PI6TO";
        if (d.Contains("Studio", StringComparison.OrdinalIgnoreCase)) return "A3RBAYBE7VM004";
        if (d.Contains("Phone", StringComparison.OrdinalIgnoreCase) || d.Contains("App", StringComparison.OrdinalIgnoreCase)) return "A2TF17PFR55MTB";
        return "AB72C64C86AW2";
    }

    private static string DeviceSerial(string customerId, string device)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(customerId + "/" + device));
        const string alphabet = "0123456789ABCDEFGHJKLMNPQRSTUVWXY";
        var sb = new StringBuilder("G0");
        for (int i = 0; i < 14; i++) sb.Append(alphabet[hash[i] % alphabet.Length]);
        return sb.ToString();
    }

    /// <summary>Adds records to an account (keeps keys unique and the newest-first order).</summary>
    public static int AddRecords(Account account, IEnumerable<RecordInput> inputs)
    {
        var existing = new HashSet<string>(account.Records.Select(r => r.Key), StringComparer.Ordinal);
        int added = 0;
        foreach (var input in inputs)
        {
            var device = string.IsNullOrWhiteSpace(input.Device) ? (account.Devices.FirstOrDefault() ?? "Echo") : input.Device.Trim();
            if (!account.Devices.Contains(device)) account.Devices.Add(device);
            string type = string.IsNullOrEmpty(input.Type) ? null : input.Type.ToUpperInvariant();
            string transcript = input.Transcript;
            if (type == null)
                type = string.IsNullOrEmpty(transcript) || transcript == NotIntended || transcript == NotAvailable
                    ? "ASR_REPLACEMENT_TEXT" : "CUSTOMER_TRANSCRIPT";
            if (type == "ASR_REPLACEMENT_TEXT" && string.IsNullOrEmpty(transcript)) transcript = NotAvailable;
            string deviceType = DeviceType(device), serial = DeviceSerial(account.CustomerId, device);
            long ts = input.Timestamp > 0 ? input.Timestamp : DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            string key;
            while (!existing.Add(key = $"{account.CustomerId}#{ts}#{deviceType}#{serial}")) ts++;
            account.Records.Add(new VoiceRecord
            {
                Key = key, Timestamp = ts, Device = device, DeviceType = deviceType, DeviceSerial = serial,
                Type = type, Transcript = transcript, Response = input.Response,
            });
            added++;
        }
        account.SortRecords();
        return added;
    }

    private static readonly (string Q, string A)[] Utterances =
    {
        ("what's the weather today", "Right now in Seattle, it's 54 degrees with cloudy skies. Today you can expect showers, with a high of 58 and a low of 47."),
        ("set a timer for ten minutes", "Ten minutes, starting now."),
        ("play some jazz", "Here's a station for you: Jazz Classics, on Amazon Music."),
        ("turn off the living room lights", "Okay."),
        ("what time is it", "It's 7:42 AM."),
        ("add milk to my shopping list", "I've added milk to your shopping list."),
        ("how tall is mount everest", "Mount Everest is 29,032 feet tall."),
        ("tell me a joke", "Why did the scarecrow win an award? Because he was outstanding in his field."),
        ("stop", null),
        ("volume five", null),
        ("what's on my calendar tomorrow", "Tomorrow at 9 AM you have Team stand-up."),
        ("set an alarm for six thirty", "Alarm set for 6:30 AM tomorrow."),
        ("play the news", "Here's your Flash Briefing."),
        ("how many ounces in a cup", "One cup is equal to 8 fluid ounces."),
        ("turn the thermostat to sixty eight", "The thermostat is set to 68."),
        ("what's the traffic like", "Your commute to work currently takes 24 minutes with light traffic."),
        ("remind me to call mom at five", "Okay, I'll remind you at 5 PM."),
        ("what's two hundred divided by eight", "Two hundred divided by eight is twenty-five."),
        ("play my discover weekly playlist", "Shuffling your playlist."),
        ("good morning", "Good morning! Today is a great day to learn something new."),
        ("who won the game last night", "The Seahawks beat the 49ers 27 to 20."),
        ("how do you spell necessary", "Necessary is spelled N-E-C-E-S-S-A-R-Y."),
        ("lock the front door", "Okay."),
        ("what's the capital of australia", "The capital of Australia is Canberra."),
        ("pause", null),
        ("next song", null),
        ("how long do I boil an egg", "For a hard-boiled egg, boil it for about 10 to 12 minutes."),
        ("is it going to rain tomorrow", "Tomorrow in Seattle, there's a 60% chance of rain."),
        ("cancel my alarm", "Your 6:30 AM alarm has been canceled."),
        ("what's the score of the lakers game", "The Lakers are leading 88 to 81 in the fourth quarter."),
        ("read my audiobook", "Resuming your book on Audible."),
        ("turn on do not disturb", "Do not disturb is now on."),
        ("what's the date", "Today is Thursday, March 5th."),
        ("convert fifty euros to dollars", "50 euros is about 54 US dollars."),
        ("play rain sounds", "Here are rain sounds."),
        ("find my phone", "Calling your phone now."),
        ("what can you do", "I can play music, answer questions, set timers, and much more."),
        ("thank you", "You're welcome."),
    };

    private static readonly (string Q, string A)[] OddUtterances =
    {
        ("=what's seven times eight", "Seven times eight is fifty-six."),
        ("+1 to my shopping list", "What would you like to add?"),
        ("-5 degrees is how much in fahrenheit", "Minus 5 degrees Celsius is 23 degrees Fahrenheit."),
        ("@home turn everything off", "Okay."),
    };

    /// <summary>Generated, deterministic voice history (same seed, same records relative to now).</summary>
    public static List<RecordInput> Generate(GenerateInput g, IReadOnlyList<string> fallbackDevices, DateTimeOffset now)
    {
        var rnd = new Random(g.Seed);
        var devices = g.Devices is { Count: > 0 } ? g.Devices : fallbackDevices is { Count: > 0 } ? fallbackDevices : new[] { "Kitchen Echo", "Bedroom Echo Dot" };
        long spanMs = Math.Max(1, g.Days) * 86_400_000L;
        long end = now.ToUnixTimeMilliseconds() - 60_000;
        var list = new List<RecordInput>(g.Count);
        for (int i = 0; i < g.Count; i++)
        {
            long ts = end - (long)(rnd.NextDouble() * spanMs);
            string device = devices[rnd.Next(devices.Count)];
            int kind = rnd.Next(100);
            RecordInput r;
            if (kind < 3) r = new RecordInput { Type = "ASR_REPLACEMENT_TEXT", Transcript = NotIntended };
            else if (kind < 5) r = new RecordInput { Type = "ASR_REPLACEMENT_TEXT", Transcript = NotAvailable };
            else if (kind < 7)
            {
                var (q, a) = OddUtterances[rnd.Next(OddUtterances.Length)];
                r = new RecordInput { Transcript = q, Response = a, Type = "CUSTOMER_TRANSCRIPT" };
            }
            else
            {
                var (q, a) = Utterances[rnd.Next(Utterances.Length)];
                r = new RecordInput { Transcript = q, Response = a, Type = "CUSTOMER_TRANSCRIPT" };
            }
            r.Timestamp = ts;
            r.Device = device;
            list.Add(r);
        }
        return list;
    }
}
