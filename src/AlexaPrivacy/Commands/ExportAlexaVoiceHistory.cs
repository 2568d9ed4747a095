// Export-AlexaVoiceHistory: writes an account's voice history (or the records piped in) to a .csv
// (safe to open in a spreadsheet) or .json file, owner-only, streaming records as they arrive into
// a file beside the target that replaces it only when the run finished with something exported.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using AlexaPrivacy.Execution;

namespace AlexaPrivacy.Commands
{
    [Cmdlet(VerbsData.Export, "AlexaVoiceHistory", DefaultParameterSetName = SessionSet, SupportsShouldProcess = true)]
    [OutputType(typeof(AlexaVoiceHistoryExport))]
    public sealed class ExportAlexaVoiceHistoryCommand : AlexaAccountCmdlet
    {
        private const string RecordSet = "Record";

        [Parameter(ParameterSetName = SessionSet, ValueFromPipeline = true)]
        [Parameter(ParameterSetName = RecordSet)]
        [ValidateNotNull]
        public override AlexaSession Session { get => base.Session; set => base.Session = value; }

        /// <summary>Records from Get-AlexaVoiceHistory (filtered with Where-Object, for example): written as they are, with no page visit.</summary>
        [Parameter(ParameterSetName = RecordSet, Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public AlexaVoiceRecord[] InputObject { get; set; }

        /// <summary>The file to write; .csv or .json chooses the format.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        [Parameter(ParameterSetName = SessionSet)]
        [Parameter(ParameterSetName = AccountSet)]
        public DateTime? After { get; set; }

        [Parameter(ParameterSetName = SessionSet)]
        [Parameter(ParameterSetName = AccountSet)]
        public DateTime? Before { get; set; }

        [Parameter(ParameterSetName = SessionSet)]
        [Parameter(ParameterSetName = AccountSet)]
        [ArgumentCompleter(typeof(DeviceCompleter))]
        [ValidateNotNullOrEmpty]
        public string Device { get; set; }

        [Parameter(ParameterSetName = SessionSet)]
        [Parameter(ParameterSetName = AccountSet)]
        [ValidateNotNullOrEmpty]
        public string Contains { get; set; }

        /// <summary>Refuses to replace a file that exists (an AlexaFileExists error), as Export-Csv -NoClobber does.</summary>
        [Parameter]
        [Alias("NoOverwrite")]
        public SwitchParameter NoClobber { get; set; }

        /// <summary>Replaces a read-only file too.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        private VoiceHistoryQuery _query;
        private VoiceHistoryFile _file;
        private bool _skip;
        private int _queued;
        private readonly HashSet<string> _accounts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly List<string> _accountOrder = new List<string>();

        protected override string Activity => "Exporting Alexa voice history";

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            string fullPath = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
            try
            {
                _query = VoiceHistoryQuery.From(After, Before, Device, Contains);
                // Before anything else looks at it: a link is refused, never followed (nor chmod-ed for -Force).
                try { Security.PrivateFiles.CheckReplaceable(fullPath); }
                catch (Security.UnsafeFileException e) { throw VoiceHistoryFile.Unsafe(e); }
                if (File.Exists(fullPath))
                {
                    if (NoClobber)
                    {
                        throw new AlexaException(AlexaErrorId.FileExists, ErrorCategory.ResourceExists,
                            $"The file '{fullPath}' exists and -NoClobber was given; it was not replaced.")
                        { RecommendedAction = "Choose another -Path, or leave out -NoClobber to replace the file." };
                    }
                    if ((File.GetAttributes(fullPath) & FileAttributes.ReadOnly) != 0)
                    {
                        // A read-only file is kept unless -Force says otherwise, whoever runs the command (root included).
                        if (!Force)
                        {
                            throw new AlexaException(AlexaErrorId.FileExists, ErrorCategory.PermissionDenied,
                                $"The file '{fullPath}' is read-only; it was not replaced.")
                            { RecommendedAction = "Add -Force to replace a read-only file, or choose another -Path." };
                        }
                        // On Unix the finished file is renamed over it, which a read-only mode does not stop (and
                        // nothing is chmod-ed that a link could redirect); Windows needs the attribute cleared.
                        if (Security.PrivateFiles.IsWindows) File.SetAttributes(fullPath, File.GetAttributes(fullPath) & ~FileAttributes.ReadOnly);
                    }
                }
                if (!ShouldProcessOrExplain(() => ShouldProcess(fullPath, "Write the voice history"), $"Write the voice history to {fullPath}"))
                {
                    _skip = true;
                    return;
                }
                _file = VoiceHistoryFile.Create(fullPath);
            }
            catch (AlexaException e)
            {
                ThrowTerminatingError(e.ToErrorRecord(Path));
            }
        }

        protected override void ProcessRecord()
        {
            if (_skip) return;
            var file = _file;
            if (ParameterSetName == RecordSet)
            {
                foreach (var record in InputObject)
                {
                    // A record carries its own data: it needs no session, but one of another account than -Session is refused.
                    if (Session != null && !SameAccount(record.Session, record.Account, Session))
                    {
                        Reject(record, SessionMismatch("voice record", record.Session?.Account ?? record.Account, record.Session?.Marketplace, Session), record.Account);
                        continue;
                    }
                    file.Write(record);
                    NoteAccount(record.Account);
                }
                return;
            }
            var query = _query;
            _queued++;
            Enqueue(async work =>
            {
                int count = await query.StreamAsync(work, int.MaxValue, file.Write);
                work.Post(() => NoteAccount(work.Session.Account));
                work.WriteVerbose($"Exported {count} voice record(s) of {work.Session.Account} to '{file.FullPath}'.");
            });
        }

        private void NoteAccount(string account)
        {
            if (!string.IsNullOrEmpty(account) && _accounts.Add(account)) _accountOrder.Add(account);
        }

        protected override void EndProcessing()
        {
            try
            {
                base.EndProcessing();
                // An account that could not be read (a failed sign-in) is an error of its own; the file
                // replaces the earlier one when at least one account's history was read in full, or
                // when there was nothing to read (records piped in, or none).
                if (_file != null && (_accounts.Count > 0 || _queued == 0)) _file.Complete();
            }
            catch (Security.UnsafeFileException e)
            {
                ThrowTerminatingError(VoiceHistoryFile.Unsafe(e).ToErrorRecord(Path));
            }
            catch (IOException e)
            {
                ThrowTerminatingError(new AlexaException(AlexaErrorId.InvalidInput, ErrorCategory.WriteError, $"Cannot write '{_file.FullPath}': {e.Message}", e).ToErrorRecord(Path));
            }
            finally
            {
                _file?.Dispose();
            }
            if (_file != null && !_file.Completed)
            {
                WriteWarning($"No account's voice history could be read; '{_file.FullPath}' was left as it was.");
                return;
            }
            if (_file != null)
            {
                WriteObject(new AlexaVoiceHistoryExport
                {
                    Path = _file.FullPath,
                    Format = _file.Format,
                    Records = _file.Count,
                    Accounts = _accountOrder.ToArray(),
                });
            }
        }

        // Stopped (Ctrl+C) or ended by an error: the file is removed and the earlier export stays.
        protected override void CloseFiles() => _file?.Dispose();
    }
}
