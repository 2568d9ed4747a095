using System.Text.Json;

namespace AlexaPrivacy.Replica;

/// <summary>
/// The replica's own API under /__replica/ (outside Amazon's URL space): create accounts, read what
/// is stored, seed voice history, switch faults. Tests and the demo use it; the module never does.
/// </summary>
public static class AdminApi
{
    public const string Prefix = "/__replica";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public static void Map(WebApplication app, ReplicaState state)
    {
        var store = state.Store;

        app.MapPost(Prefix + "/accounts", async (HttpContext ctx) =>
        {
            var body = await ReadJson(ctx);
            if (body == null) return Bad("The body must be a JSON object.");
            try
            {
                var account = ParseAccount(body.Value, state);
                store.Put(account);
                return Results.Json(Describe(state, account), statusCode: 201);
            }
            catch (ArgumentException e) { return Bad(e.Message); }
        });

        app.MapGet(Prefix + "/accounts", () => Results.Json(store.All().Select(a => Describe(state, a)).ToList()));

        app.MapGet(Prefix + "/accounts/{email}", (string email) =>
        {
            var account = store.Find(email);
            return account == null ? NotFound(email) : Results.Json(Describe(state, account));
        });

        app.MapDelete(Prefix + "/accounts/{email}", (string email) =>
        {
            var account = store.Find(email);
            if (account == null) return NotFound(email);
            store.Remove(account.Email);
            return Results.NoContent();
        });

        app.MapMethods(Prefix + "/accounts/{email}", new[] { "PATCH" }, async (HttpContext ctx, string email) =>
        {
            var account = store.Find(email);
            if (account == null) return NotFound(email);
            var body = await ReadJson(ctx);
            if (body == null) return Bad("The body must be a JSON object.");
            try
            {
                store.Change(account, a => Patch(a, body.Value));
                return Results.Json(Describe(state, account));
            }
            catch (ArgumentException e) { return Bad(e.Message); }
        });

        app.MapPost(Prefix + "/accounts/{email}/approve", (string email) =>
        {
            var account = store.Find(email);
            if (account == null) return NotFound(email);
            int n = 0;
            foreach (var flow in store.FlowsOf(account.Email).Where(f => f.Step == "approval" && !f.Approved))
            {
                flow.Approved = true;
                n++;
            }
            return Results.Json(new { approved = n });
        });

        app.MapPost(Prefix + "/accounts/{email}/expire-sessions", (string email) =>
        {
            var account = store.Find(email);
            if (account == null) return NotFound(email);
            return Results.Json(new { expired = store.ExpireSessions(account.Email) });
        });

        app.MapPost(Prefix + "/expire-sessions", () => Results.Json(new { expired = store.ExpireSessions(null) }));

        app.MapPost(Prefix + "/accounts/{email}/records", async (HttpContext ctx, string email) =>
        {
            var account = store.Find(email);
            if (account == null) return NotFound(email);
            var body = await ReadJson(ctx);
            if (body == null) return Bad("The body must be a JSON object.");
            try
            {
                List<RecordInput> inputs;
                if (body.Value.TryGetProperty("generate", out var gen) && gen.ValueKind == JsonValueKind.Object)
                {
                    var g = gen.Deserialize<GenerateInput>(JsonOptions);
                    if (g.Count < 0 || g.Count > 1_000_000) return Bad("generate.count must be between 0 and 1000000.");
                    List<string> devices = store.Read(account, a => a.Devices.ToList());
                    inputs = VoiceHistory.Generate(g, devices, DateTimeOffset.UtcNow);
                }
                else inputs = ParseRecords(body.Value);
                int added = store.Change(account, a => VoiceHistory.AddRecords(a, inputs));
                return Results.Json(new { added });
            }
            catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException) { return Bad(e.Message); }
        });

        app.MapGet(Prefix + "/accounts/{email}/records", (string email) =>
        {
            var account = store.Find(email);
            if (account == null) return NotFound(email);
            return Results.Json(store.Records(account, _ => true).Select(r => new
                {
                    key = r.Key, timestamp = r.Timestamp, device = r.Device, transcript = r.Transcript, response = r.Response, type = r.Type,
                }).ToList());
        });

        app.MapDelete(Prefix + "/accounts/{email}/records", (string email) =>
        {
            var account = store.Find(email);
            if (account == null) return NotFound(email);
            return Results.Json(new { deleted = store.DeleteRecords(account, _ => true) });
        });

        app.MapGet(Prefix + "/faults", () => Results.Json(state.Faults.Current, JsonOptions));

        app.MapPut(Prefix + "/faults", async (HttpContext ctx) =>
        {
            try
            {
                FaultConfig config = ctx.Request.ContentLength == 0
                    ? new FaultConfig()
                    : await JsonSerializer.DeserializeAsync<FaultConfig>(ctx.Request.Body, JsonOptions);
                state.Faults.Replace(config);
                return Results.Json(state.Faults.Current, JsonOptions);
            }
            catch (Exception e) when (e is JsonException or ArgumentException) { return Bad(e.Message); }
        });

        app.MapDelete(Prefix + "/faults", () =>
        {
            state.Faults.Replace(new FaultConfig());
            return Results.Json(state.Faults.Current, JsonOptions);
        });

        app.MapGet(Prefix + "/accounts/{email}/sign-ins", (string email) =>
        {
            var account = store.Find(email);
            if (account == null) return NotFound(email);
            return Results.Json(store.Read(account, a => new { signIns = a.SignInCount, passwordsReceived = a.PasswordsReceived, codesReceived = a.CodesReceived.ToList(), cookiesIssued = a.CookiesIssued.ToList() }));
        });

        app.MapGet(Prefix + "/variant", () => Results.Json(DescribeVariant(state.Variant)));

        app.MapPut(Prefix + "/variant", async (HttpContext ctx) =>
        {
            var body = await ReadJson(ctx);
            if (body == null) return Bad("The body must be a JSON object: {\"seed\": 123} or {\"seed\": null}.");
            if (!body.Value.TryGetProperty("seed", out var seed)) return Bad("seed is required (an integer, or null for the default rendering).");
            if (seed.ValueKind == JsonValueKind.Null) state.Variant = null;
            else if (seed.ValueKind == JsonValueKind.Number && seed.TryGetInt32(out var n)) state.Variant = Variant.FromSeed(n);
            else return Bad("seed must be an integer or null.");
            return Results.Json(DescribeVariant(state.Variant));
        });

        app.MapPost(Prefix + "/reset", () =>
        {
            store.Clear();
            state.Faults.Replace(new FaultConfig());
            state.Variant = state.Options.Variant is int startSeed ? Variant.FromSeed(startSeed) : null;
            return Results.Json(new { reset = true });
        });

        app.MapGet(Prefix + "/stats", () => Results.Json(new
        {
            signIns = store.SignIns,
            requests = Interlocked.Read(ref store.Requests),
            activeSessions = store.ActiveSessions(),
        }));

        app.MapGet(Prefix + "/totp/{email}", (string email) =>
        {
            var account = store.Find(email);
            if (account == null) return NotFound(email);
            if (string.IsNullOrEmpty(account.TotpSecret)) return Results.Json(new { error = "NoTotpSecret" }, statusCode: 409);
            return Results.Json(new { code = Totp.Compute(account.TotpSecret, DateTimeOffset.UtcNow) });
        });

        app.MapGet(Prefix + "/info", () => Results.Json(new
        {
            marketplace = state.Marketplace.Name,
            cookieSuffix = state.Marketplace.CookieSuffix,
            defaultLanguage = state.Options.Language ?? state.Marketplace.DefaultLanguage,
            generation = state.Generation,
            pageSize = state.Options.PageSize,
            variant = state.Variant?.Seed,
        }));
    }

    /// <summary>Loads accounts from a JSON file holding an array of account objects.</summary>
    public static int LoadAccountsFile(ReplicaState state, string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        if (doc.RootElement.ValueKind != JsonValueKind.Array) throw new InvalidDataException($"{path}: expected a JSON array of accounts.");
        int n = 0;
        foreach (var item in doc.RootElement.EnumerateArray())
        {
            state.Store.Put(ParseAccount(item, state));
            n++;
        }
        return n;
    }

    public static Account ParseAccount(JsonElement body, ReplicaState state)
    {
        if (body.ValueKind != JsonValueKind.Object) throw new ArgumentException("An account must be a JSON object.");
        string email = Str(body, "email")?.Trim();
        string password = Str(body, "password");
        if (string.IsNullOrEmpty(email) || !email.Contains('@')) throw new ArgumentException("email is required.");
        if (password == null) throw new ArgumentException("password is required.");
        var marketplace = state.Marketplace;
        var mp = Str(body, "marketplace");
        if (mp != null && !Marketplace.TryFind(mp, out marketplace)) throw new ArgumentException($"Unknown marketplace '{mp}'.");
        var account = new Account
        {
            Email = email,
            Password = password,
            Marketplace = marketplace,
            CustomerId = Str(body, "customerId") ?? AccountStore.CustomerIdFor(email),
        };
        SetTotp(account, body);
        if (body.TryGetProperty("settings", out var settings) && settings.ValueKind == JsonValueKind.Object) PatchSettings(account.Settings, settings);
        if (body.TryGetProperty("challenge", out var ch)) account.Challenge = ParseChallenge(ch);
        if (body.TryGetProperty("locked", out var locked) && locked.ValueKind is JsonValueKind.True) account.LockedOut = true;
        if (body.TryGetProperty("passkey", out var passkey)) account.Passkey = passkey.ValueKind is JsonValueKind.True;
        if (body.TryGetProperty("devices", out var devices) && devices.ValueKind == JsonValueKind.Array)
            foreach (var d in devices.EnumerateArray())
                if (d.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(d.GetString()) && !account.Devices.Contains(d.GetString().Trim()))
                    account.Devices.Add(d.GetString().Trim());
        if (body.TryGetProperty("records", out var records) && records.ValueKind == JsonValueKind.Array)
            VoiceHistory.AddRecords(account, ParseRecords(body));
        return account;
    }

    private static void Patch(Account account, JsonElement body)
    {
        if (body.TryGetProperty("settings", out var settings))
        {
            if (settings.ValueKind != JsonValueKind.Object) throw new ArgumentException("settings must be an object.");
            var copy = account.Settings.Clone();
            PatchSettings(copy, settings);
            account.Settings = copy;
        }
        if (body.TryGetProperty("challenge", out var ch)) account.Challenge = ParseChallenge(ch);
        if (body.TryGetProperty("totpSecret", out _)) SetTotp(account, body);
        if (body.TryGetProperty("password", out var pw))
        {
            if (pw.ValueKind != JsonValueKind.String) throw new ArgumentException("password must be a string.");
            account.Password = pw.GetString();
            account.FailedPasswordCount = 0;
            account.LockedOut = false;
        }
        if (body.TryGetProperty("passkey", out var passkey)) account.Passkey = passkey.ValueKind is JsonValueKind.True;
        if (body.TryGetProperty("locked", out var locked))
        {
            account.LockedOut = locked.ValueKind == JsonValueKind.True;
            if (!account.LockedOut) account.FailedPasswordCount = 0;
        }
        if (body.TryGetProperty("devices", out var devices) && devices.ValueKind == JsonValueKind.Array)
        {
            account.Devices.Clear();
            foreach (var d in devices.EnumerateArray())
                if (d.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(d.GetString())) account.Devices.Add(d.GetString().Trim());
        }
    }

    private static void SetTotp(Account account, JsonElement body)
    {
        if (!body.TryGetProperty("totpSecret", out var totp) || totp.ValueKind == JsonValueKind.Null) { account.TotpSecret = null; return; }
        if (totp.ValueKind != JsonValueKind.String) throw new ArgumentException("totpSecret must be a base32 string or null.");
        var key = totp.GetString();
        if (string.IsNullOrWhiteSpace(key)) { account.TotpSecret = null; return; }
        if (!Totp.IsValidKey(key)) throw new ArgumentException("totpSecret is not a valid base32 key.");
        account.TotpSecret = key;
    }

    private static string ParseChallenge(JsonElement ch)
    {
        if (ch.ValueKind == JsonValueKind.Null) return null;
        var value = ch.ValueKind == JsonValueKind.String ? ch.GetString() : null;
        if (value is "captcha" or "approval" or "locked") return value;
        if (string.IsNullOrEmpty(value) || value == "none") return null;
        throw new ArgumentException("challenge must be null, \"captcha\", \"approval\" or \"locked\".");
    }

    private static void PatchSettings(AccountSettings target, JsonElement settings)
    {
        foreach (var p in settings.EnumerateObject())
        {
            var key = AccountSettings.Keys.FirstOrDefault(k => string.Equals(k, p.Name, StringComparison.OrdinalIgnoreCase))
                ?? throw new ArgumentException($"Unknown setting '{p.Name}'. Known: {string.Join(", ", AccountSettings.Keys)}.");
            if (key == "VoiceRecordingRetention")
            {
                if (p.Value.ValueKind != JsonValueKind.String || !Enum.TryParse<Retention>(p.Value.GetString(), true, out var r) || !Enum.IsDefined(r))
                    throw new ArgumentException("VoiceRecordingRetention must be UntilDeleted, DontSave, ThreeMonths or EighteenMonths.");
                target.VoiceRecordingRetention = r;
            }
            else
            {
                if (p.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) throw new ArgumentException($"{key} must be true or false.");
                target.SetSwitch(key, p.Value.GetBoolean());
            }
        }
    }

    private static List<RecordInput> ParseRecords(JsonElement body)
    {
        if (!body.TryGetProperty("records", out var records) || records.ValueKind != JsonValueKind.Array)
            throw new ArgumentException("Expected {\"records\":[...]} or {\"generate\":{...}}.");
        return records.Deserialize<List<RecordInput>>(JsonOptions) ?? new List<RecordInput>();
    }

    private static object Describe(ReplicaState state, Account a)
    {
        return state.Store.Read(a, x => (object)new
            {
                email = x.Email,
                marketplace = x.Marketplace.Name,
                customerId = x.CustomerId,
                hasTotp = !string.IsNullOrEmpty(x.TotpSecret),
                settings = x.Settings.ToJson(),
                signInCount = x.SignInCount,
                failedPasswordCount = x.FailedPasswordCount,
                locked = x.Locked,
                challenge = x.Challenge,
                passkey = x.Passkey,
                captchaText = x.CaptchaText,
                devices = x.AllDeviceNames().ToList(),
                recordCount = x.Records.Count,
                activeSessions = state.Store.ActiveSessions(x.Email),
            });
    }

    private static object DescribeVariant(Variant v) => new
    {
        seed = v?.Seed,
        freedoms = v == null ? new Dictionary<string, string>() : v.Choices.ToDictionary(p => p.Key, p => p.Value),
    };

    private static string Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static async Task<JsonElement?> ReadJson(HttpContext ctx)
    {
        try
        {
            var e = await JsonSerializer.DeserializeAsync<JsonElement>(ctx.Request.Body);
            return e.ValueKind == JsonValueKind.Object ? e : null;
        }
        catch (JsonException) { return null; }
    }

    private static IResult Bad(string message) => Results.Json(new { error = message }, statusCode: 400);

    private static IResult NotFound(string email) => Results.Json(new { error = $"No account '{email}'." }, statusCode: 404);
}
