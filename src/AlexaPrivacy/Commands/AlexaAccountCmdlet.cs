// The base of every data cmdlet: -Session (or the runspace's current session), or account
// columns bound by property name from a CSV row, worked on up to -ThrottleLimit accounts at once.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using AlexaPrivacy.Execution;
using AlexaPrivacy.Pages;
using AlexaPrivacy.Site;

namespace AlexaPrivacy.Commands
{
    public abstract class AlexaAccountCmdlet : AlexaCmdlet
    {
        protected const string SessionSet = "Session";
        protected const string AccountSet = "Account";

        [Parameter(ParameterSetName = SessionSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public AlexaSession Session { get; set; }

        [Parameter(ParameterSetName = AccountSet, ValueFromPipelineByPropertyName = true)]
        [Alias("UserName", "Account", "EmailAddress")]
        [AllowEmptyString]
        public string Email { get; set; }

        [Parameter(ParameterSetName = AccountSet, ValueFromPipelineByPropertyName = true)]
        [Credential]
        public PSCredential Credential { get; set; }

        [Parameter(ParameterSetName = AccountSet, ValueFromPipelineByPropertyName = true)]
        [SecretTransformation]
        [AllowNull]
        public SecureString Password { get; set; }

        [Parameter(ParameterSetName = AccountSet, ValueFromPipelineByPropertyName = true)]
        [SecretTransformation]
        [AllowNull]
        public SecureString TotpSecret { get; set; }

        [Parameter(ParameterSetName = AccountSet, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(MarketplaceCompleter))]
        [AllowEmptyString]
        public string Marketplace { get; set; }

        [Parameter(ParameterSetName = AccountSet, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        public string SessionPath { get; set; }

        [Parameter(ParameterSetName = AccountSet)]
        public Uri BaseUri { get; set; }

        [Parameter(ParameterSetName = AccountSet)]
        public string BrowserPath { get; set; }

        /// <summary>A site profile file laid over the embedded one, for accounts signed in by this command.</summary>
        [Parameter(ParameterSetName = AccountSet)]
        [ValidateNotNullOrEmpty]
        public string SiteProfile { get; set; }

        /// <summary>How many accounts are worked on at once.</summary>
        [Parameter]
        [ValidateRange(1, 32)]
        public int ThrottleLimit { get; set; } = 4;

        private readonly Queue<(AccountInput Input, Func<AccountWork, Task> Work)> _pending = new Queue<(AccountInput, Func<AccountWork, Task>)>();
        private readonly List<(Task Task, AccountWork Work)> _running = new List<(Task, AccountWork)>();
        private readonly HashSet<string> _seenAccounts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly Stopwatch _clock = new Stopwatch();
        private int _received, _done, _failed;
        private bool _plainTextSecrets;
        private SiteProfile _profile;
        private readonly int _activityId = new Random().Next(1, int.MaxValue);

        private static readonly ConditionalWeakTable<SecureString, object> PlainTextSecrets = new ConditionalWeakTable<SecureString, object>();

        internal static void MarkPlainText(SecureString secret)
        {
            if (secret != null) PlainTextSecrets.GetValue(secret, _ => new object());
        }

        internal static bool IsPlainText(SecureString secret) => secret != null && PlainTextSecrets.TryGetValue(secret, out _);

        /// <summary>A verb phrase for progress, such as "Turning off human review".</summary>
        protected abstract string Activity { get; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _clock.Start();
        }

        /// <summary>Queues <paramref name="work"/> for the account that the current pipeline input names.</summary>
        internal void Enqueue(Func<AccountWork, Task> work)
        {
            var input = CaptureInput();
            _received++;
            if (input == null) return;
            _pending.Enqueue((input, work));
            StartWhatFits();
            Dispatcher.Drain();
            Collect();
        }

        protected override void EndProcessing()
        {
            while (_pending.Count > 0 || _running.Count > 0)
            {
                StartWhatFits();
                if (_running.Count == 0) break;
                var any = Task.WhenAny(_running.Select(r => r.Task));
                Dispatcher.Pump(any);
                if (StopToken.IsCancellationRequested) throw new PipelineStoppedException();
                Collect();
            }
            Dispatcher.Drain();
            if (_received > 1 || _failed > 0)
            {
                WriteProgress(new ProgressRecord(_activityId, Activity, "Done") { RecordType = ProgressRecordType.Completed });
            }
            if (_plainTextSecrets)
            {
                WriteWarning("Passwords or TOTP keys were read as plain text (for example from a CSV column). Prefer a saved session (-SessionPath, a SessionPath column) or a PSCredential, and keep the file out of reach.");
            }
            if (_failed > 0 && _received > 1)
            {
                WriteWarning($"{_failed} of {_received} accounts failed; see the errors above (each names its account). Running the command again is safe.");
            }
        }

        private AccountInput CaptureInput()
        {
            if (ParameterSetName == SessionSet)
            {
                var session = Session ?? SessionRegistry.GetCurrent();
                if (session == null)
                {
                    var error = new AlexaException(AlexaErrorId.NoSession, ErrorCategory.InvalidOperation,
                        "There is no current Alexa session in this PowerShell session.")
                    { RecommendedAction = "Run Connect-AlexaAccount first, or pass -Session, or give -Email with -Password or -Credential." };
                    ThrowTerminatingError(error.ToErrorRecord(null));
                }
                return new AccountInput { Session = session, Target = session };
            }

            string email = Email;
            SecureString password = Password;
            if (Credential != null)
            {
                if (string.IsNullOrWhiteSpace(email)) email = Credential.UserName;
                if (password == null) password = Credential.Password;
            }
            var input = new AccountInput
            {
                Email = string.IsNullOrWhiteSpace(email) ? null : email.Trim(),
                Password = password,
                TotpSecret = TotpSecret,
                Marketplace = string.IsNullOrWhiteSpace(Marketplace) ? null : Marketplace,
                SessionPath = string.IsNullOrWhiteSpace(SessionPath) ? null : SessionPath,
                BaseUri = BaseUri,
                Target = DescribeInput(),
            };
            if (IsPlainText(password) || IsPlainText(TotpSecret))
            {
                _plainTextSecrets = true;
            }
            if (_profile == null)
            {
                // Read once per command: every row then sees the same profile, and a malformed one stops the command before any sign-in.
                try { _profile = Site.SiteProfile.Resolve(SiteProfile == null ? null : GetUnresolvedProviderPathFromPSPath(SiteProfile)); }
                catch (AlexaException e) { ThrowTerminatingError(e.ToErrorRecord(SiteProfile)); }
            }
            if (input.Email == null)
            {
                Fail(input, AlexaException.InvalidInput("The row has no email address: give an Email (or UserName, Account) column or -Email."));
                return null;
            }
            string marketplace = Site.SiteProfile.NormalizeMarketplace(input.Marketplace ?? SessionOpener.DefaultMarketplace);
            if (!_seenAccounts.Add(input.Email + "|" + marketplace))
            {
                Fail(input, AlexaException.InvalidInput($"The account {input.Email} on {marketplace} appears more than once in the input; only its first row was used."));
                return null;
            }
            return input;
        }

        private void Fail(AccountInput input, AlexaException error)
        {
            _failed++;
            WriteError(error.ToErrorRecord(input.Target));
        }

        private void StartWhatFits()
        {
            while (_pending.Count > 0 && _running.Count < ThrottleLimit && !StopToken.IsCancellationRequested)
            {
                var (input, work) = _pending.Dequeue();
                var accountWork = new AccountWork(this, input, StopToken);
                _running.Add((Task.Run(() => RunAsync(accountWork, work)), accountWork));
                ReportProgress(input.Label);
            }
        }

        private void Collect()
        {
            for (int i = _running.Count - 1; i >= 0; i--)
            {
                if (!_running[i].Task.IsCompleted) continue;
                var work = _running[i].Work;
                _running.RemoveAt(i);
                _done++;
                if (work.Failed) _failed++;
                ReportProgress(null);
            }
        }

        private void ReportProgress(string current)
        {
            if (_received <= 1 && _running.Count <= 1 && _pending.Count == 0) return;
            int total = _done + _running.Count + _pending.Count;
            string status = $"{_done} of {total} accounts done, {_failed} failed";
            var record = new ProgressRecord(_activityId, Activity, status)
            {
                PercentComplete = total == 0 ? 0 : Math.Min(100, _done * 100 / total),
                CurrentOperation = current == null ? null : "Working on " + current,
            };
            if (_done > 0)
            {
                double perAccount = _clock.Elapsed.TotalSeconds / _done;
                record.SecondsRemaining = (int)Math.Ceiling(perAccount * (total - _done));
            }
            WriteProgress(record);
        }

        private async Task RunAsync(AccountWork work, Func<AccountWork, Task> body)
        {
            var input = work.Input;
            AlexaSession session = null;
            bool ephemeral = false;
            try
            {
                if (input.Session != null)
                {
                    session = input.Session;
                }
                else
                {
                    session = await SessionOpener.OpenAsync(new ConnectRequest
                    {
                        Email = input.Email,
                        Password = input.Password,
                        TotpSecret = input.TotpSecret,
                        Marketplace = input.Marketplace,
                        BaseUri = input.BaseUri,
                        SessionPath = input.SessionPath,
                        BrowserPath = BrowserPath,
                        Profile = _profile,
                    }, work.WriteVerbose, work.Cancel).ConfigureAwait(false);
                    ephemeral = true;
                }
                await session.Gate.WaitAsync(work.Cancel).ConfigureAwait(false);
                try
                {
                    work.Session = session;
                    await body(work).ConfigureAwait(false);
                }
                finally
                {
                    session.Gate.Release();
                }
            }
            catch (OperationCanceledException) when (work.Cancel.IsCancellationRequested)
            {
                // Stopped by the user: nothing to report.
            }
            catch (Exception e)
            {
                var error = Translate(e, input.Label);
                if (error == null) throw;
                if (!work.Cancel.IsCancellationRequested) await PageTools.WithDiagnosticsAsync(error, session, Activity).ConfigureAwait(false);
                work.WriteError(error);
            }
            finally
            {
                if (ephemeral) session?.Dispose();
            }
        }
    }

    /// <summary>Completes -Marketplace from the site profile.</summary>
    public sealed class MarketplaceCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            System.Management.Automation.Language.CommandAst commandAst, System.Collections.IDictionary fakeBoundParameters)
        {
            string prefix = (wordToComplete ?? "").Trim('\'', '"');
            foreach (var pair in Site.SiteProfile.Resolve().Marketplaces)
            {
                if (pair.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    yield return new CompletionResult(pair.Key, pair.Key, CompletionResultType.ParameterValue, $"{pair.Key} ({pair.Value.Language})");
                }
            }
        }
    }

    /// <summary>Completes -Name with the settings of the site profile.</summary>
    public sealed class SettingNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            System.Management.Automation.Language.CommandAst commandAst, System.Collections.IDictionary fakeBoundParameters)
        {
            string prefix = (wordToComplete ?? "").Trim('\'', '"');
            foreach (var pair in Site.SiteProfile.Resolve().Settings)
            {
                if (pair.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    yield return new CompletionResult(pair.Key, pair.Key, CompletionResultType.ParameterValue, $"{pair.Key} ({pair.Value.Kind})");
                }
            }
        }
    }
}
