// The audit trail of the changing cmdlets: one JSON line per setting change before it is sent
// ("verified": false) and one once Amazon confirmed it ("verified": true, the same "changeId"),
// per deletion and per failure, appended to an owner-only file that many runspaces, threads and
// processes may append to at once. The log never holds less than Amazon: a change stopped (Ctrl+C)
// between the two lines keeps its first.
using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Threading;
using AlexaPrivacy.Commands;

namespace AlexaPrivacy.Execution
{
    /// <summary>A cmdlet that changes accounts and so takes -AuditLogPath.</summary>
    internal interface IAuditedCmdlet
    {
        string AuditLogPath { get; }
    }

    internal sealed class AuditEntry
    {
        public string Action { get; set; }
        public string Account { get; set; }
        public string Marketplace { get; set; }
        public string Setting { get; set; }
        public string OldValue { get; set; }
        public string NewValue { get; set; }
        public bool? Verified { get; set; }
        /// <summary>Pairs the line written before a change was sent with the one written once it was verified.</summary>
        public string ChangeId { get; set; }
        public int? RecordsDeleted { get; set; }
        /// <summary>How many records a deletion about to be sent asks for (its first line).</summary>
        public int? RecordsRequested { get; set; }
        public DateTimeOffset? RangeStart { get; set; }
        public DateTimeOffset? RangeEnd { get; set; }
        public string ErrorId { get; set; }
        public string Message { get; set; }
    }

    internal sealed class AuditLog
    {
        public const string EnvironmentVariable = "ALEXAPRIVACY_AUDIT_LOG";

        // One lock per file for this process (threads, runspaces); an exclusive open per line keeps other processes out meanwhile.
        private static readonly ConcurrentDictionary<string, object> Locks = new ConcurrentDictionary<string, object>(
            RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);

        private readonly string _command;

        private AuditLog(string path, string command)
        {
            FullPath = path;
            _command = command;
        }

        public string FullPath { get; }

        /// <summary>
        /// The log named by -AuditLogPath, else by $env:ALEXAPRIVACY_AUDIT_LOG; null when neither is
        /// set or when the command only shows what it would do (-WhatIf). Creates the file owner-only.
        /// </summary>
        public static AuditLog Open(PSCmdlet cmdlet, string path, bool whatIf)
        {
            if (string.IsNullOrWhiteSpace(path)) path = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (string.IsNullOrWhiteSpace(path) || whatIf) return null;
            string full;
            try
            {
                full = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
                string directory = Path.GetDirectoryName(full);
                Security.PrivateFiles.CreateDirectory(directory);
                CreateOwnerOnly(full);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException || e is NotSupportedException || e is ItemNotFoundException || e is ProviderNotFoundException || e is System.Management.Automation.DriveNotFoundException)
            {
                throw new AlexaException(AlexaErrorId.AuditLogFailed, e is Security.UnsafeFileException ? ErrorCategory.SecurityError : ErrorCategory.WriteError,
                    $"The audit log '{path}' cannot be used: {e.Message}")
                { RecommendedAction = "Give a path in a folder you can write to with -AuditLogPath or $env:ALEXAPRIVACY_AUDIT_LOG." };
            }
            return new AuditLog(full, cmdlet.MyInvocation.MyCommand.Name);
        }

        /// <summary>Appends one line; throws AlexaAuditLogFailed when the file stays locked or unwritable.</summary>
        public void Append(AuditEntry entry) => Write(Serialize(entry), entry.Action, entry.Account);

        /// <summary>Appends one line that is JSON already (another host's line, merged by Invoke-AlexaPrivacyPolicy).</summary>
        public void AppendLine(byte[] json, string action, string account)
        {
            var line = new byte[json.Length + 1];
            Buffer.BlockCopy(json, 0, line, 0, json.Length);
            line[json.Length] = (byte)'\n';
            Write(line, action, account);
        }

        private void Write(byte[] line, string action, string account)
        {
            var gate = Locks.GetOrAdd(FullPath, _ => new object());
            lock (gate)
            {
                var random = new Random();
                for (int attempt = 1; ; attempt++)
                {
                    try
                    {
                        // Opened anew for each line, with no-follow and the owner and mode checked each time
                        // (a log replaced by a link or deleted between two lines is never written through or
                        // recreated loose); exclusive while the line is written: flock(LOCK_EX) on Unix, so
                        // another process waits instead of writing at the same offset; readers (tail -f) are not blocked.
                        using (var stream = Security.PrivateFiles.OpenAppend(FullPath))
                        {
                            stream.Write(line, 0, line.Length);
                            stream.Flush(true);
                        }
                        return;
                    }
                    catch (IOException e) when (attempt < 400 && (e is Security.FileBusyException || (IsWindows && File.Exists(FullPath))))
                    {
                        // Another process holds the file: wait a little (at most about 20 s in all) and try again.
                        Thread.Sleep(10 + random.Next(0, 90));
                    }
                    catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                    {
                        throw new AlexaException(AlexaErrorId.AuditLogFailed, ErrorCategory.WriteError,
                            $"The audit log '{FullPath}' could not be written ({action} for {account}): {e.Message}")
                        { RecommendedAction = "Check the file's permissions and free space; the change itself was made (see the command's output)." };
                    }
                }
            }
        }

        private static bool IsWindows => Security.PrivateFiles.IsWindows;

        /// <summary>A failure line for an account; never throws (a failing log must not hide the failure it records).</summary>
        public string TryAppendFailure(string account, string marketplace, AlexaException error)
        {
            if (error.ErrorId == AlexaErrorId.AuditLogFailed) return null;
            try
            {
                Append(new AuditEntry { Action = "Failure", Account = account, Marketplace = marketplace, ErrorId = error.ErrorId, Message = error.Message });
                return null;
            }
            catch (AlexaException e)
            {
                return e.Message;
            }
        }

        internal byte[] Serialize(AuditEntry entry)
        {
            using (var buffer = new MemoryStream())
            {
                using (var json = new Utf8JsonWriter(buffer))
                {
                    json.WriteStartObject();
                    json.WriteString("time", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                    json.WriteString("command", _command);
                    json.WriteString("action", entry.Action);
                    json.WriteString("account", entry.Account);
                    WriteOptional(json, "marketplace", entry.Marketplace);
                    WriteOptional(json, "setting", entry.Setting);
                    WriteOptional(json, "oldValue", entry.OldValue);
                    WriteOptional(json, "newValue", entry.NewValue);
                    if (entry.Verified.HasValue) json.WriteBoolean("verified", entry.Verified.Value);
                    WriteOptional(json, "changeId", entry.ChangeId);
                    if (entry.RecordsRequested.HasValue) json.WriteNumber("recordsRequested", entry.RecordsRequested.Value);
                    if (entry.RecordsDeleted.HasValue) json.WriteNumber("recordsDeleted", entry.RecordsDeleted.Value);
                    if (entry.RangeStart.HasValue) json.WriteString("rangeStart", entry.RangeStart.Value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                    if (entry.RangeEnd.HasValue) json.WriteString("rangeEnd", entry.RangeEnd.Value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                    WriteOptional(json, "errorId", entry.ErrorId);
                    WriteOptional(json, "message", entry.Message);
                    json.WriteEndObject();
                }
                buffer.WriteByte((byte)'\n');
                return buffer.ToArray();
            }
        }

        private static void WriteOptional(Utf8JsonWriter json, string name, string value)
        {
            if (value != null) json.WriteString(name, value);
        }

        // The log is checked when the command starts: a link, a FIFO or another user's file there stops
        // it before any account is changed. Created 0600 when missing; an existing log of ours that
        // others could read is made 0600.
        private static void CreateOwnerOnly(string path)
        {
            try
            {
                using (Security.PrivateFiles.OpenAppend(path)) { }
            }
            catch (Security.FileBusyException)
            {
                // Another process is writing a line: the file passed its checks before the lock was tried.
            }
        }
    }
}

namespace AlexaPrivacy.Execution
{
    /// <summary>The audit lines of the module's changes, built from their output objects.</summary>
    internal static class AuditEntries
    {
        /// <summary>
        /// A setting change about to be sent ("verified": false), written before the page is touched:
        /// whatever stops the run after it, the log holds the change. Its ChangeId pairs it with
        /// <see cref="Change"/>.
        /// </summary>
        public static AuditEntry Sending(string account, string marketplace, string setting, string oldValue, string newValue) => new AuditEntry
        {
            Action = "SetSetting",
            Account = account,
            Marketplace = marketplace,
            Setting = setting,
            OldValue = oldValue,
            NewValue = newValue,
            Verified = false,
            ChangeId = Security.PrivateFiles.RandomName(),
        };

        /// <summary>A setting change; the page objects reload and compare before they return, so it is verified.</summary>
        public static AuditEntry Change(AlexaSettingChange change, AuditEntry sent) => new AuditEntry
        {
            Action = "SetSetting",
            Account = change.Account,
            Marketplace = change.Marketplace,
            Setting = change.Setting,
            OldValue = change.OldValue,
            NewValue = change.NewValue,
            Verified = true,
            ChangeId = sent?.ChangeId,
        };

        /// <summary>
        /// A deletion about to be sent ("verified": false, recordsRequested and the targets' time range),
        /// written before the page deletes anything; its ChangeId pairs it with <see cref="Deletion"/>.
        /// </summary>
        public static AuditEntry Deleting(string account, string marketplace, int requested, DateTimeOffset oldest, DateTimeOffset newest) => new AuditEntry
        {
            Action = "DeleteRecordings",
            Account = account,
            Marketplace = marketplace,
            Verified = false,
            ChangeId = Security.PrivateFiles.RandomName(),
            RecordsRequested = requested,
            RangeStart = oldest,
            RangeEnd = newest,
        };

        /// <summary>A deletion, after the history was read again; the range spans the deleted records' times.</summary>
        public static AuditEntry Deletion(AlexaVoiceDeletion deletion, string marketplace, DateTimeOffset? oldest, DateTimeOffset? newest, AuditEntry sent) => new AuditEntry
        {
            ChangeId = sent?.ChangeId,
            Action = "DeleteRecordings",
            Account = deletion.Account,
            Marketplace = marketplace,
            Verified = deletion.Remaining.Length == 0,
            RecordsDeleted = deletion.Deleted,
            RangeStart = oldest,
            RangeEnd = newest,
        };
    }
}
