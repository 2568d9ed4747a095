using System.Security.Cryptography;
using System.Text;

namespace AlexaPrivacy.Replica;

/// <summary>Retention choices of the settings page, shortest first.</summary>
public enum Retention { DontSave = 0, ThreeMonths = 1, EighteenMonths = 2, UntilDeleted = 3 }

/// <summary>The privacy settings Amazon stores for an account.</summary>
public sealed class AccountSettings
{
    public static readonly string[] Keys =
        { "VoiceRecordingReview", "MessageTranscription", "DeletionByVoice", "VoiceRecordingRetention", "PersonalizationDecoy" };

    public static readonly string[] SwitchKeys =
        { "VoiceRecordingReview", "MessageTranscription", "DeletionByVoice", "PersonalizationDecoy" };

    // Amazon's defaults: every switch on, recordings kept until deleted.
    public bool VoiceRecordingReview { get; set; } = true;
    public bool MessageTranscription { get; set; } = true;
    public bool DeletionByVoice { get; set; } = true;
    public Retention VoiceRecordingRetention { get; set; } = Retention.UntilDeleted;
    public bool PersonalizationDecoy { get; set; } = true;

    public AccountSettings Clone() => (AccountSettings)MemberwiseClone();

    public bool GetSwitch(string key) => key switch
    {
        "VoiceRecordingReview" => VoiceRecordingReview,
        "MessageTranscription" => MessageTranscription,
        "DeletionByVoice" => DeletionByVoice,
        "PersonalizationDecoy" => PersonalizationDecoy,
        _ => throw new ArgumentException($"Unknown switch '{key}'."),
    };

    public void SetSwitch(string key, bool value)
    {
        switch (key)
        {
            case "VoiceRecordingReview": VoiceRecordingReview = value; break;
            case "MessageTranscription": MessageTranscription = value; break;
            case "DeletionByVoice": DeletionByVoice = value; break;
            case "PersonalizationDecoy": PersonalizationDecoy = value; break;
            default: throw new ArgumentException($"Unknown switch '{key}'.");
        }
    }

    public Dictionary<string, object> ToJson() => new()
    {
        ["VoiceRecordingReview"] = VoiceRecordingReview,
        ["MessageTranscription"] = MessageTranscription,
        ["DeletionByVoice"] = DeletionByVoice,
        ["VoiceRecordingRetention"] = VoiceRecordingRetention.ToString(),
        ["PersonalizationDecoy"] = PersonalizationDecoy,
    };
}

/// <summary>One stored voice recording.</summary>
public sealed class VoiceRecord
{
    public string Key { get; init; }
    public long Timestamp { get; init; }
    public string Device { get; init; }
    public string DeviceType { get; init; }
    public string DeviceSerial { get; init; }
    /// <summary>CUSTOMER_TRANSCRIPT, or ASR_REPLACEMENT_TEXT for placeholders.</summary>
    public string Type { get; init; } = "CUSTOMER_TRANSCRIPT";
    public string Transcript { get; init; }
    public string Response { get; init; }
}

/// <summary>An Amazon account as the replica stores it.</summary>
public sealed class Account
{
    public string Email { get; set; }
    public string Password { get; set; }
    public string TotpSecret { get; set; }
    public Marketplace Marketplace { get; set; }
    public string CustomerId { get; set; }
    public AccountSettings Settings { get; set; } = new();
    /// <summary>null, "captcha", "approval" or "locked".</summary>
    public string Challenge { get; set; }
    public List<string> Devices { get; } = new();
    /// <summary>Newest first (timestamp descending, then key).</summary>
    public List<VoiceRecord> Records { get; } = new();
    public int SignInCount { get; set; }
    public int FailedPasswordCount { get; set; }
    public bool LockedOut { get; set; }
    public string CaptchaText { get; set; }
    /// <summary>True: sign-in asks for a passkey (WebAuthn) after the email step.</summary>
    public bool Passkey { get; set; }
    /// <summary>Passwords the sign-in received for this account (right or wrong, empty ones not counted).</summary>
    public int PasswordsReceived { get; set; }
    /// <summary>Every one-time code the sign-in received for this account, right or wrong.</summary>
    public List<string> CodesReceived { get; } = new();
    /// <summary>Every cookie value a sign-in of this account set: what the secret canary of the test run looks for.</summary>
    public List<string> CookiesIssued { get; } = new();

    public bool Locked => LockedOut || Challenge == "locked";

    public IEnumerable<string> AllDeviceNames() =>
        Devices.Concat(Records.Select(r => r.Device)).Where(d => !string.IsNullOrEmpty(d))
            .Distinct(StringComparer.Ordinal).OrderBy(d => d, StringComparer.Ordinal);

    public void SortRecords() => Records.Sort(RecordOrder.Instance);
}

/// <summary>Newest first; ties broken by key so paging is stable.</summary>
public sealed class RecordOrder : IComparer<VoiceRecord>
{
    public static readonly RecordOrder Instance = new();
    public int Compare(VoiceRecord a, VoiceRecord b)
    {
        int c = b.Timestamp.CompareTo(a.Timestamp);
        return c != 0 ? c : string.CompareOrdinal(a.Key, b.Key);
    }
}

/// <summary>A signed-in browser session (server side, so it can be expired).</summary>
public sealed class Session
{
    public string Token { get; init; }
    public string Email { get; init; }
    public string CsrfToken { get; init; }
    public DateTimeOffset Created { get; init; }
    public int PrivacyRequests { get; set; }
    public bool Expired { get; set; }
}

/// <summary>The state of one sign-in in progress (carried by an opaque token in the forms).</summary>
public sealed class SignInFlow
{
    public string Token { get; init; }
    public string ReturnTo { get; set; }
    public string Email { get; set; }
    /// <summary>"password", "captcha", "mfa", "approval" or "done".</summary>
    public string Step { get; set; } = "email";
    public bool RememberMe { get; set; }
    public bool Approved { get; set; }
    public bool CaptchaPassed { get; set; }
    /// <summary>Interstitials still to show before the sign-in completes ("phone", "passkey").</summary>
    public Queue<string> Interstitials { get; set; }
    public DateTimeOffset Created { get; init; } = DateTimeOffset.UtcNow;
}

/// <summary>
/// Accounts, sessions and sign-in flows, in memory. Every read or change of what it holds (an
/// account's settings, records and counters, a session, a flow) goes through its methods, which
/// take the store's one lock inside; the lock itself is private.
/// </summary>
public sealed class AccountStore
{
    private readonly object _sync = new();
    private readonly Dictionary<string, Account> _accounts = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SignInFlow> _flows = new(StringComparer.Ordinal);

    public int SignIns { get; set; }
    public long Requests;

    public Account Find(string email)
    {
        if (string.IsNullOrWhiteSpace(email)) return null;
        lock (_sync) return _accounts.GetValueOrDefault(email.Trim());
    }

    public IReadOnlyList<Account> All() { lock (_sync) return _accounts.Values.ToList(); }

    public void Put(Account account)
    {
        lock (_sync)
        {
            if (_accounts.ContainsKey(account.Email)) ExpireSessions(account.Email);
            _accounts[account.Email] = account;
        }
    }

    public bool Remove(string email)
    {
        lock (_sync)
        {
            ExpireSessions(email);
            return _accounts.Remove(email);
        }
    }

    public void Clear()
    {
        lock (_sync)
        {
            _accounts.Clear();
            _sessions.Clear();
            _flows.Clear();
            SignIns = 0;
            Interlocked.Exchange(ref Requests, 0);
        }
    }

    public Session CreateSession(string email)
    {
        var session = new Session
        {
            Token = "Atza|" + RandomToken(96),
            Email = email,
            CsrfToken = RandomToken(40),
            Created = DateTimeOffset.UtcNow,
        };
        lock (_sync) _sessions[session.Token] = session;
        return session;
    }

    public Session FindSession(string token)
    {
        if (string.IsNullOrEmpty(token)) return null;
        lock (_sync)
        {
            var s = _sessions.GetValueOrDefault(token);
            return s == null || s.Expired || !_accounts.ContainsKey(s.Email) ? null : s;
        }
    }

    public void EndSession(string token)
    {
        if (token == null) return;
        lock (_sync) _sessions.Remove(token);
    }

    public int ExpireSessions(string email)
    {
        lock (_sync)
        {
            int n = 0;
            foreach (var s in _sessions.Values.Where(s => !s.Expired && (email == null || string.Equals(s.Email, email, StringComparison.OrdinalIgnoreCase))))
            {
                s.Expired = true;
                n++;
            }
            return n;
        }
    }

    public int ActiveSessions(string email = null)
    {
        lock (_sync)
            return _sessions.Values.Count(s => !s.Expired && _accounts.ContainsKey(s.Email)
                && (email == null || string.Equals(s.Email, email, StringComparison.OrdinalIgnoreCase)));
    }

    public SignInFlow NewFlow(string returnTo)
    {
        var flow = new SignInFlow { Token = RandomToken(32), ReturnTo = returnTo };
        lock (_sync)
        {
            // Forget flows older than a day so the table cannot grow without bound.
            if (_flows.Count > 10_000)
                foreach (var old in _flows.Values.Where(f => f.Created < DateTimeOffset.UtcNow.AddDays(-1)).ToList())
                    _flows.Remove(old.Token);
            _flows[flow.Token] = flow;
        }
        return flow;
    }

    public SignInFlow FindFlow(string token)
    {
        if (string.IsNullOrEmpty(token)) return null;
        lock (_sync) return _flows.GetValueOrDefault(token);
    }

    public void EndFlow(SignInFlow flow) { lock (_sync) _flows.Remove(flow.Token); }

    public IReadOnlyList<SignInFlow> FlowsOf(string email)
    {
        lock (_sync)
            return _flows.Values.Where(f => string.Equals(f.Email, email, StringComparison.OrdinalIgnoreCase)).ToList();
    }

    // ---- one account: reads and changes under the store's lock ----

    /// <summary>Reads from an account under the lock (the result must not hold on to its lists).</summary>
    public T Read<T>(Account account, Func<Account, T> read) { lock (_sync) return read(account); }

    /// <summary>Changes an account under the lock.</summary>
    public void Change(Account account, Action<Account> change) { lock (_sync) change(account); }

    /// <summary>Changes an account under the lock and returns what the change answers.</summary>
    public T Change<T>(Account account, Func<Account, T> change) { lock (_sync) return change(account); }

    /// <summary>The account's settings as the data requests answer them.</summary>
    public Dictionary<string, object> SettingsOf(Account account) { lock (_sync) return account.Settings.ToJson(); }

    /// <summary>
    /// Sets one switch, or (with <paramref name="drop"/>, the dropChanges fault) only pretends to:
    /// answers the settings as the page is to show them.
    /// </summary>
    public Dictionary<string, object> SetSwitch(Account account, string key, bool value, bool drop)
    {
        lock (_sync)
        {
            var target = drop ? account.Settings.Clone() : account.Settings;
            target.SetSwitch(key, value);
            return target.ToJson();
        }
    }

    /// <summary>Sets the retention period and deletes the records older than it (unless <paramref name="drop"/>).</summary>
    public Dictionary<string, object> SetRetention(Account account, Retention retention, bool drop, DateTimeOffset now)
    {
        lock (_sync)
        {
            var target = drop ? account.Settings.Clone() : account.Settings;
            target.VoiceRecordingRetention = retention;
            if (!drop) VoiceHistory.ApplyRetention(account, retention, now);
            return target.ToJson();
        }
    }

    /// <summary>The account's records that match, newest first, at most <paramref name="max"/> (a copy).</summary>
    public List<VoiceRecord> Records(Account account, Func<VoiceRecord, bool> match, int max = int.MaxValue)
    {
        lock (_sync) return account.Records.Where(match).Take(max).ToList();
    }

    /// <summary>Deletes the account's records that match (with <paramref name="drop"/> only counts them); answers how many.</summary>
    public int DeleteRecords(Account account, Predicate<VoiceRecord> match, bool drop = false)
    {
        lock (_sync) return drop ? account.Records.Count(r => match(r)) : account.Records.RemoveAll(match);
    }

    /// <summary>The device names of the account and of its records, sorted.</summary>
    public List<string> DeviceNames(Account account) { lock (_sync) return account.AllDeviceNames().ToList(); }

    /// <summary>Counts a password the sign-in received: five wrong ones in a row lock the account. True when it is right.</summary>
    public bool CheckPassword(Account account, string password)
    {
        lock (_sync)
        {
            account.PasswordsReceived++;
            if (!string.Equals(password, account.Password, StringComparison.Ordinal))
            {
                account.FailedPasswordCount++;
                if (account.FailedPasswordCount >= 5) account.LockedOut = true;
                return false;
            }
            account.FailedPasswordCount = 0;
            return true;
        }
    }

    /// <summary>Keeps a one-time code the sign-in received, right or wrong.</summary>
    public void RecordCode(Account account, string code) { lock (_sync) account.CodesReceived.Add(code); }

    /// <summary>Keeps a cookie value a sign-in set (for the secret canary).</summary>
    public void RecordCookie(Account account, string value) { lock (_sync) account.CookiesIssued.Add(value); }

    /// <summary>Counts a completed sign-in.</summary>
    public void RecordSignIn(Account account)
    {
        lock (_sync)
        {
            account.SignInCount++;
            account.FailedPasswordCount = 0;
            SignIns++;
        }
    }

    /// <summary>
    /// Counts a privacy request of a session; under the expireAfterRequests fault (<paramref name="limit"/>)
    /// the session expires once it made more. False when it has expired.
    /// </summary>
    public bool CountPrivacyRequest(Session session, int? limit)
    {
        lock (_sync)
        {
            session.PrivacyRequests++;
            if (limit is > 0 && session.PrivacyRequests > limit.Value)
            {
                session.Expired = true;
                return false;
            }
            return true;
        }
    }

    /// <summary>Declines the flow's current interstitial (when <paramref name="which"/> is empty or names it). True when more remain.</summary>
    public bool DeclineInterstitial(SignInFlow flow, string which)
    {
        lock (_sync)
        {
            if (flow.Interstitials.Count > 0 && (string.IsNullOrEmpty(which) || flow.Interstitials.Peek() == which))
                flow.Interstitials.Dequeue();
            return flow.Interstitials.Count > 0;
        }
    }

    private const string TokenAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static string RandomToken(int length) => RandomNumberGenerator.GetString(TokenAlphabet, length);

    public static string RandomDigits(int length) => RandomNumberGenerator.GetString("0123456789", length);

    /// <summary>An Amazon-like customer id ("A" + 13 characters), derived from the email.</summary>
    public static string CustomerIdFor(string email)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(email.ToLowerInvariant()));
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        var sb = new StringBuilder("A");
        for (int i = 0; i < 13; i++) sb.Append(alphabet[hash[i] % alphabet.Length]);
        return sb.ToString();
    }

    public static string MaskEmail(string email)
    {
        int at = email.IndexOf('@');
        if (at <= 0) return email;
        var local = email[..at];
        var shown = local.Length <= 2 ? local[..1] : local[..2];
        return shown + new string('*', Math.Max(3, local.Length - shown.Length)) + email[at..];
    }
}
