// The thin base of every cmdlet: cancellation on Ctrl+C, a dispatcher so that background work
// writes only on the pipeline thread, and errors turned into records with the input as target.
using System;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using AlexaPrivacy.Execution;

namespace AlexaPrivacy.Commands
{
    public abstract class AlexaCmdlet : PSCmdlet, IDisposable, IAccountHost
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private PipelineDispatcher _dispatcher;

        internal CancellationToken StopToken => _stopping.Token;

        internal PipelineDispatcher Dispatcher
        {
            get
            {
                if (_dispatcher == null)
                {
                    _dispatcher = new PipelineDispatcher();
                    // A downstream command has all it wants (Select-Object -First): stop producing at once.
                    _dispatcher.PipelineStopped += () => _stopping.Cancel();
                }
                return _dispatcher;
            }
        }

        /// <summary>The audit trail of a changing cmdlet (-AuditLogPath, $env:ALEXAPRIVACY_AUDIT_LOG); null when there is none.</summary>
        internal AuditLog AuditLog { get; set; }

        protected override void BeginProcessing()
        {
            _ = Dispatcher; // created on the pipeline thread, which it remembers
            // Before any pipeline input binds: what a row binds is what is bound later and not here.
            _commandLine = new System.Collections.Generic.HashSet<string>(MyInvocation.BoundParameters.Keys, StringComparer.OrdinalIgnoreCase);
        }

        private System.Collections.Generic.HashSet<string> _commandLine;

        /// <summary>True once the user stopped the command (Ctrl+C): nothing that follows may wait on the browser.</summary>
        internal bool StoppedByUser { get; private set; }

        protected override void StopProcessing()
        {
            StoppedByUser = true;
            _stopping.Cancel();
        }

        /// <summary>Runs async work off the pipeline thread while this thread serves its writes; returns its result.</summary>
        internal T RunOnPipeline<T>(Func<CancellationToken, Task<T>> work)
        {
            var task = Task.Run(() => work(StopToken));
            Dispatcher.Pump(task);
            try
            {
                return task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        /// <summary>
        /// The current input as an error's target object: the row's own columns (the parameters
        /// bound by property name, such as Email, Password, Name, Enabled), with every secret
        /// replaced so that error logs cannot hold one. Common parameters and switches such as
        /// ErrorVariable or PassThru are not part of a row, nor, for piped input, what the command line
        /// gave. A compiled cmdlet has no $_, so the row is rebuilt from what bound.
        /// </summary>
        internal PSObject DescribeInput()
        {
            var row = new PSObject();
            var columns = RowParameters(GetType());
            foreach (var pair in MyInvocation.BoundParameters)
            {
                if (!columns.TryGetValue(pair.Key, out var property)) continue;
                // A piped row's columns are what it bound itself: -Enabled on the command line is no column of it.
                if (MyInvocation.ExpectingInput && _commandLine != null && _commandLine.Contains(pair.Key)) continue;
                // BoundParameters keeps what earlier rows bound (PowerShell restores the parameter, not
                // the dictionary): a column counts only when the parameter still holds its value.
                if (!Equals(property.GetValue(this), pair.Value)) continue;
                row.Properties.Add(new PSNoteProperty(pair.Key, MaskSecret(pair.Value)));
            }
            return row;
        }

        /// <summary>
        /// The error for a piped row none of whose columns bound a parameter (see <see cref="AlexaPipedRow"/>),
        /// or null when the current input is not such a row. It names the columns, never their values.
        /// </summary>
        internal AlexaException UnboundRow(AlexaPipedRow row, string accountColumnsNeed)
        {
            if (row == null) return null;
            // A column of the row bound a parameter when one that the command line did not give holds a value now.
            if (DescribeInput().Properties.Any(p => _commandLine == null || !_commandLine.Contains(p.Name))) return null;
            string names = string.Join(", ", row.Columns);
            if (row.IsText)
            {
                // Its value is not repeated: a string on a pipeline of accounts may be a password.
                return AlexaException.InvalidInput($"A piped string gave {MyInvocation.MyCommand.Name} none of its parameters, so it was left alone: PowerShell binds the properties of an object (a CSV row, a session), and a string has none.")
                    .WithRecommendation("Give the address with -Email, or pipe objects with an Email column: [pscustomobject]@{ Email = '...' } or Import-Csv. " + accountColumnsNeed);
            }
            if (row.IsDictionary)
            {
                return AlexaException.InvalidInput($"A piped hashtable (keys {names}) gave {MyInvocation.MyCommand.Name} none of its parameters, so it was left alone: PowerShell binds the properties of an object, not the keys of a hashtable.")
                    .WithRecommendation("Pipe [pscustomobject]@{ ... } instead of @{ ... }. " + accountColumnsNeed);
            }
            string columns = row.Columns.Length == 0 ? "no columns" : "the columns " + names;
            return AlexaException.InvalidInput($"A piped object with {columns} gave {MyInvocation.MyCommand.Name} none of its parameters, so it was left alone.")
                .WithRecommendation(accountColumnsNeed);
        }

        internal static object MaskSecret(object value)
        {
            if (value is System.Security.SecureString) return "(secret)";
            if (value is PSCredential credential) return credential.UserName;
            return value;
        }

        private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, System.Collections.Generic.Dictionary<string, System.Reflection.PropertyInfo>> RowParameterCache =
            new System.Collections.Concurrent.ConcurrentDictionary<Type, System.Collections.Generic.Dictionary<string, System.Reflection.PropertyInfo>>();

        // The parameters a pipeline row can bind by property name: the columns of a CSV row.
        private static System.Collections.Generic.Dictionary<string, System.Reflection.PropertyInfo> RowParameters(Type type) => RowParameterCache.GetOrAdd(type, t =>
        {
            var names = new System.Collections.Generic.Dictionary<string, System.Reflection.PropertyInfo>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in t.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance))
            {
                foreach (ParameterAttribute attribute in property.GetCustomAttributes(typeof(ParameterAttribute), true))
                {
                    if (attribute.ValueFromPipelineByPropertyName) names[property.Name] = property;
                }
            }
            return names;
        });

        /// <summary>
        /// ShouldProcess that explains itself under -NonInteractive: PowerShell cannot ask there, and
        /// says so with an exception that names no remedy.
        /// </summary>
        internal bool ShouldProcessOrExplain(Func<bool> ask, string action)
        {
            try
            {
                return ask();
            }
            catch (Exception e) when (e is PSInvalidOperationException || e is System.Management.Automation.Host.HostException)
            {
                throw ConfirmationRequired(action, e);
            }
        }

        // "Yes to All" and "No to All" given to one question of this command answer its later ones
        // (every account of a run). A "Yes to All" given to a question that changes nothing for good
        // never answers one that deletes: only a "Yes to All" to a deletion does.
        private bool _yesToAll, _yesToAllDeletions, _noToAll;

        /// <summary>
        /// Confirms one change on the pipeline thread. Under -WhatIf it writes the "What if:" line and
        /// returns false. A change that deletes (<paramref name="deletes"/>) is asked about unless
        /// <paramref name="force"/>, -Confirm:$false or $ConfirmPreference = 'None', with No as the
        /// default answer so that Enter alone deletes nothing; any other change is asked about where
        /// PowerShell would ask (-Confirm, or $ConfirmPreference at or below the command's impact).
        /// Every question offers Yes to All and No to All. Where no one can be asked, AlexaConfirmationRequired.
        /// </summary>
        internal bool ConfirmChange(string description, string query, string caption, bool deletes, bool force)
        {
            if (WhatIfGiven) return ShouldProcess(description, query, caption);
            bool ask = deletes ? ConfirmGiven == true || (!force && ConfirmGiven != false && !ConfirmPreferenceIsNone) : WouldPrompt;
            // The engine's own question defaults to Yes and knows no deletion: ShouldProcess is used
            // only where it does not ask, for its verbose line.
            if (!ask) return WouldPrompt || ShouldProcess(description, query, caption);
            bool yes = deletes ? _yesToAllDeletions : _yesToAll || _yesToAllDeletions;
            bool no = _noToAll;
            bool answer;
            try
            {
                answer = ShouldProcessOrExplain(() => ShouldContinue(query, caption, deletes, ref yes, ref no), description);
            }
            catch (NullReferenceException e)
            {
                // The console host fails this way when its input ends before an answer (stdin redirected):
                // no answer is no consent, and the question is not asked again.
                throw ConfirmationRequired(description, e);
            }
            if (yes)
            {
                if (deletes) _yesToAllDeletions = true;
                else _yesToAll = true;
            }
            if (no) _noToAll = true;
            return answer;
        }

        /// <summary>Under -WhatIf, says what needs no change ("What if: ... nothing to change"), so that a quiet -WhatIf is never ambiguous.</summary>
        internal void ExplainNothingToDo(string text)
        {
            if (WhatIfGiven) ShouldProcess(text, text, MyInvocation.MyCommand.Name);
        }

        internal bool WhatIfGiven => ConfirmSettings.WhatIf(this);

        private bool? ConfirmGiven => ConfirmSettings.Confirm(this);

        private bool ConfirmPreferenceIsNone => ConfirmSettings.PreferenceIsNone(this);

        // True when ShouldProcess would ask: -Confirm, or $ConfirmPreference at or below the command's ConfirmImpact.
        private bool WouldPrompt
        {
            get
            {
                if (ConfirmGiven.HasValue) return ConfirmGiven.Value;
                if (ConfirmPreferenceIsNone) return false;
                var attribute = (CmdletAttribute)Attribute.GetCustomAttribute(GetType(), typeof(CmdletAttribute));
                return attribute != null && attribute.ConfirmImpact >= ConfirmSettings.Preference(this);
            }
        }

        internal static AlexaException ConfirmationRequired(string action, Exception inner) =>
            new AlexaException(AlexaErrorId.ConfirmationRequired, ErrorCategory.InvalidOperation,
                $"'{action}' needs a confirmation, but PowerShell cannot ask for one here (it runs with -NonInteractive or without a console).", inner)
            { RecommendedAction = "Add -Confirm:$false to run without asking (run it with -WhatIf first to see what it would do), or run it at a console." };

        /// <summary>Writes verbose text from any thread.</summary>
        internal void VerboseFromAnyThread(string text) => Dispatcher.Post(() => WriteVerbose(text));

        PipelineDispatcher IAccountHost.Dispatcher => Dispatcher;
        CancellationToken IAccountHost.StopToken => StopToken;
        bool IAccountHost.StoppedByUser => StoppedByUser;
        AuditLog IAccountHost.AuditLog => AuditLog;
        void IAccountHost.WriteVerboseFromAnyThread(string text) => VerboseFromAnyThread(text);
        bool IAccountHost.ShouldProcess(string target, string action) => ShouldProcessOrExplain(() => ShouldProcess(target, action), $"{action} {target}");
        bool IAccountHost.ConfirmChange(string description, string query, string caption, bool deletes, bool force) => ConfirmChange(description, query, caption, deletes, force);
        void IAccountHost.ExplainNothingToDo(string text) => ExplainNothingToDo(text);

        public void Dispose()
        {
            // A pipeline ended by an error (-ErrorAction Stop) never calls StopProcessing: stop the
            // accounts still running so they close their contexts. The source stays undisposed
            // because that background work still reads its token.
            _stopping.Cancel();
            _dispatcher?.Close();
            CloseFiles();
        }

        /// <summary>
        /// Ends the files the command writes when its pipeline ends, also when it was stopped
        /// (Ctrl+C) or ended by an error, where EndProcessing never runs.
        /// </summary>
        protected virtual void CloseFiles()
        {
        }
    }
}
