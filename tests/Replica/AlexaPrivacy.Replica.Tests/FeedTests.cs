using System.Net;
using System.Text.Json;

namespace AlexaPrivacy.Replica.Tests;

public class FeedTests : IClassFixture<ReplicaFixture>
{
    private readonly ReplicaFixture _f;
    public FeedTests(ReplicaFixture f) => _f = f;

    [Fact]
    public async Task PagingReturnsEveryRecordOnceNewestFirst()
    {
        var email = $"feed{Guid.NewGuid():N}@example.com";
        using var admin = _f.Admin();
        await admin.CreateAccount(new { email, password = "p", devices = new[] { "Kitchen Echo" } });
        var added = await admin.Json(HttpMethod.Post, $"/__replica/accounts/{email}/records",
            new { generate = new { count = 137, devices = new[] { "Kitchen Echo", "Bedroom Dot" }, days = 10, seed = 3 } });
        Assert.Equal(137, added.GetProperty("added").GetInt32());

        using var c = _f.NewClient();
        await c.SignIn(email, "p");
        var csrf = await c.CsrfOf("/alexa-privacy/apd/rvh");
        long end = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        long start = end - 11L * 86_400_000;
        var keys = new List<string>();
        var stamps = new List<long>();
        string token = null;
        int pages = 0;
        do
        {
            var page = await c.DataJson($"/alexa-privacy/apd/rvh/customer-history-records-v2?startTime={start}&endTime={end}&pageType=VOICE_HISTORY",
                new { previousRequestToken = token }, csrf);
            pages++;
            var records = page.GetProperty("customerHistoryRecords");
            Assert.True(records.GetArrayLength() <= 50);
            foreach (var r in records.EnumerateArray())
            {
                var key = r.GetProperty("recordKey").GetString();
                var parts = key!.Split('#');
                Assert.Equal(4, parts.Length);
                Assert.Equal(r.GetProperty("timestamp").GetInt64().ToString(), parts[1]);
                Assert.False(string.IsNullOrEmpty(r.GetProperty("device").GetProperty("deviceName").GetString()));
                Assert.True(r.TryGetProperty("utteranceType", out _));
                Assert.True(r.TryGetProperty("activityStatus", out _));
                var items = r.GetProperty("voiceHistoryRecordItems");
                Assert.Contains(items.EnumerateArray(), i => i.GetProperty("recordItemType").GetString() is "CUSTOMER_TRANSCRIPT" or "ASR_REPLACEMENT_TEXT");
                keys.Add(key);
                stamps.Add(r.GetProperty("timestamp").GetInt64());
            }
            token = page.GetProperty("encodedRequestToken").ValueKind == JsonValueKind.Null ? null : page.GetProperty("encodedRequestToken").GetString();
        } while (token != null);

        Assert.Equal(3, pages);
        Assert.Equal(137, keys.Count);
        Assert.Equal(137, keys.Distinct().Count());
        Assert.Equal(stamps.OrderByDescending(s => s).ToList(), stamps);
        var stored = await admin.Json(HttpMethod.Get, $"/__replica/accounts/{email}/records");
        Assert.Equal(keys, stored.EnumerateArray().Select(r => r.GetProperty("key").GetString()).ToList());
    }

    [Fact]
    public async Task TimeWindowAndDeviceFilter()
    {
        var email = $"feed{Guid.NewGuid():N}@example.com";
        using var admin = _f.Admin();
        await admin.CreateAccount(new { email, password = "p" });
        var now = DateTimeOffset.UtcNow;
        await admin.Json(HttpMethod.Post, $"/__replica/accounts/{email}/records", new
        {
            records = new object[]
            {
                new { timestamp = now.AddHours(-1).ToUnixTimeMilliseconds(), device = "Kitchen Echo", transcript = "one", response = "r" },
                new { timestamp = now.AddHours(-2).ToUnixTimeMilliseconds(), device = "Bedroom Dot", transcript = (string)null, type = "ASR_REPLACEMENT_TEXT" },
                new { timestamp = now.AddDays(-3).ToUnixTimeMilliseconds(), device = "Kitchen Echo", transcript = "three", response = "r" },
            },
        });
        using var c = _f.NewClient();
        await c.SignIn(email, "p");
        var csrf = await c.CsrfOf("/alexa-privacy/apd/rvh");
        long s = now.AddDays(-1).ToUnixTimeMilliseconds(), e = now.ToUnixTimeMilliseconds();
        var page = await c.DataJson($"/alexa-privacy/apd/rvh/customer-history-records-v2?startTime={s}&endTime={e}&pageType=VOICE_HISTORY", new { previousRequestToken = (string)null }, csrf);
        Assert.Equal(2, page.GetProperty("customerHistoryRecords").GetArrayLength());
        var placeholder = page.GetProperty("customerHistoryRecords")[1].GetProperty("voiceHistoryRecordItems")[0];
        Assert.Equal("ASR_REPLACEMENT_TEXT", placeholder.GetProperty("recordItemType").GetString());
        Assert.Equal("Text not available", placeholder.GetProperty("transcriptText").GetString());
        page = await c.DataJson($"/alexa-privacy/apd/rvh/customer-history-records-v2?startTime=0&endTime={e}&pageType=VOICE_HISTORY&deviceName=Kitchen%20Echo", new { previousRequestToken = (string)null }, csrf);
        Assert.Equal(2, page.GetProperty("customerHistoryRecords").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("encodedRequestToken").ValueKind);
    }

    [Fact]
    public async Task GeneratedRecordsAreDeterministic()
    {
        using var admin = _f.Admin();
        var a = $"g{Guid.NewGuid():N}@example.com";
        var b = $"g{Guid.NewGuid():N}@example.com";
        await admin.CreateAccount(new { email = a, password = "p" });
        await admin.CreateAccount(new { email = b, password = "p" });
        var gen = new { generate = new { count = 300, devices = new[] { "Kitchen Echo", "Bedroom Dot" }, days = 90, seed = 42 } };
        await admin.Json(HttpMethod.Post, $"/__replica/accounts/{a}/records", gen);
        await admin.Json(HttpMethod.Post, $"/__replica/accounts/{b}/records", gen);
        var ra = (await admin.Json(HttpMethod.Get, $"/__replica/accounts/{a}/records")).EnumerateArray().Select(r => r.GetProperty("transcript").GetString() + "|" + r.GetProperty("device").GetString()).ToList();
        var rb = (await admin.Json(HttpMethod.Get, $"/__replica/accounts/{b}/records")).EnumerateArray().Select(r => r.GetProperty("transcript").GetString() + "|" + r.GetProperty("device").GetString()).ToList();
        Assert.Equal(ra, rb);
        Assert.Contains(ra, t => t.StartsWith("Audio was not intended for Alexa") || t.StartsWith("Text not available"));
        Assert.Contains(ra, t => "=+-@".Contains(t[0]));
    }
}
