# The audit trail of the changing cmdlets: a JSON line per change before it is sent and once
# confirmed, per deletion and failure, from -AuditLogPath or $env:ALEXAPRIVACY_AUDIT_LOG,
# owner-only and never through a link, whole lines when many threads and processes append at once,
# every change Amazon stored even when the run is stopped, and nothing for -WhatIf.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    $script:Replica = Start-TestReplica
    $script:Base = $Replica.BaseUri

    function Read-Audit { param([string] $Path) @(Get-Content $Path | ForEach-Object { $_ | ConvertFrom-Json -AsHashtable }) }
    # Runs pwsh (the one running the tests) on a command; returns its exit code.
    function Invoke-ChildPwsh {
        param([string] $Command)
        $self = Get-Process -Id $PID
        $info = [System.Diagnostics.ProcessStartInfo]::new($self.Path)
        if ($self.ProcessName -eq 'dotnet') { $info.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
        foreach ($a in '-NoProfile', '-NonInteractive', '-Command', $Command) { $info.ArgumentList.Add($a) }
        $info.UseShellExecute = $false
        [System.Diagnostics.Process]::Start($info)
    }
    # The module's own AuditLog for a path, as the cmdlets use it, and a line appended through it.
    function New-AuditLog {
        param([string] $Path)
        $type = (Get-Module AlexaPrivacy).ImplementingAssembly.GetType('AlexaPrivacy.Execution.AuditLog')
        $type.GetConstructors([System.Reflection.BindingFlags]'NonPublic,Instance')[0].Invoke([object[]]@([string]$Path, 'Test'))
    }
    function Add-AuditLine {
        param($AuditLog, [string] $Account)
        $entry = [Activator]::CreateInstance($AuditLog.GetType().Assembly.GetType('AlexaPrivacy.Execution.AuditEntry'))
        $entry.Action = 'Failure'; $entry.Account = $Account; $entry.Message = 'test'
        $AuditLog.Append($entry)
    }
    function Get-Mode { param([string] $Path) ([int][System.IO.File]::GetUnixFileMode($Path)) -band 0x1ff }
}

AfterAll {
    Get-Module AlexaPrivacy | Remove-Module -Force
    Stop-TestReplica $Replica
}

Describe 'Audit log' {
    It 'logs a Set-AlexaDataSetting change after Amazon stored it, with no secret, in an owner-only file' {
        $a = New-ReplicaAccount $Replica -Settings @{ VoiceRecordingReview = $true }
        $log = Join-Path $TestDrive 'set.jsonl'
        Set-AlexaDataSetting -Email $a.Email -Password $a.SecurePassword -BaseUri $Base -Enabled $false -Confirm:$false -AuditLogPath $log
        $lines = @(Read-Audit $log)
        # One line before the change was sent (verified: false), one once Amazon stored it, paired by changeId.
        $lines.Count | Should -Be 2
        foreach ($line in $lines) {
            $line.action | Should -Be 'SetSetting'
            $line.command | Should -Be 'Set-AlexaDataSetting'
            $line.account | Should -Be $a.Email
            $line.marketplace | Should -Be 'amazon.com'
            $line.setting | Should -Be 'VoiceRecordingReview'
            $line.oldValue | Should -Be 'On'
            $line.newValue | Should -Be 'Off'
        }
        $lines[0].verified | Should -BeFalse
        $lines[1].verified | Should -BeTrue
        $lines[0].changeId | Should -Match '^[A-Za-z0-9_-]{12}$'
        $lines[1].changeId | Should -Be $lines[0].changeId
        [DateTimeOffset]::Parse($lines[1].time) | Should -BeGreaterThan ([DateTimeOffset]::UtcNow.AddMinutes(-5))
        if (-not $IsWindows) { (Get-Item $log).UnixMode | Should -Be '-rw-------' }
        # Nothing changes on a second run: no line.
        Set-AlexaDataSetting -Email $a.Email -Password $a.SecurePassword -BaseUri $Base -Enabled $false -Confirm:$false -AuditLogPath $log
        @(Read-Audit $log).Count | Should -Be 2
        Get-Content $log -Raw | Should -Not -Match ([regex]::Escape($a.Password))
    }

    It 'logs a deletion by Remove-AlexaVoiceHistory with its count and range, to $env:ALEXAPRIVACY_AUDIT_LOG' {
        $a = New-ReplicaAccount $Replica
        Add-Records $a.Email @(
            @{ timestamp = (Get-Ms -5 8); device = 'Kitchen Echo'; transcript = 'one' }
            @{ timestamp = (Get-Ms -4 8); device = 'Kitchen Echo'; transcript = 'two' }
            @{ timestamp = (Get-Ms -1 8); device = 'Kitchen Echo'; transcript = 'three' }
        )
        $log = Join-Path $TestDrive 'env/remove.jsonl'
        $env:ALEXAPRIVACY_AUDIT_LOG = $log
        try {
            $result = Remove-AlexaVoiceHistory -Email $a.Email -Password $a.SecurePassword -BaseUri $Base -Before $Midnight.AddDays(-2).LocalDateTime -Confirm:$false
        }
        finally { Remove-Item Env:ALEXAPRIVACY_AUDIT_LOG }
        $result.Deleted | Should -Be 2
        $lines = @(Read-Audit $log)
        # One line before the page deletes anything (recordsRequested), one once the re-read confirmed it.
        $lines.Count | Should -Be 2
        $lines.action | Should -Be @('DeleteRecordings', 'DeleteRecordings')
        $lines.command | Should -Be @('Remove-AlexaVoiceHistory', 'Remove-AlexaVoiceHistory')
        $lines[0].verified | Should -BeFalse
        $lines[0].recordsRequested | Should -Be 2
        $lines[0].ContainsKey('recordsDeleted') | Should -BeFalse
        $lines[1].changeId | Should -Be $lines[0].changeId
        $lines[1].recordsDeleted | Should -Be 2
        $lines[1].verified | Should -BeTrue
        foreach ($line in $lines) {
            [DateTimeOffset]::Parse($line.rangeStart).ToUnixTimeMilliseconds() | Should -Be (Get-Ms -5 8)
            [DateTimeOffset]::Parse($line.rangeEnd).ToUnixTimeMilliseconds() | Should -Be (Get-Ms -4 8)
        }
    }

    It 'logs one failure line per failed account, with its error id' {
        $good = New-ReplicaAccount $Replica -Settings @{ VoiceRecordingReview = $true }
        $locked = New-ReplicaAccount $Replica -Challenge captcha -Settings @{ VoiceRecordingReview = $true }
        $log = Join-Path $TestDrive 'failures.jsonl'
        $rows = @(
            [pscustomobject]@{ Email = $good.Email; Password = $good.Password }
            [pscustomobject]@{ Email = $locked.Email; Password = $locked.Password }
            [pscustomobject]@{ Email = 'x@example.com'; Password = 'secret-for-x'; Marketplace = 'amazon.invalid' }
        )
        $rows | Set-AlexaDataSetting -BaseUri $Base -Enabled $false -Confirm:$false -AuditLogPath $log -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $lines = @(Read-Audit $log)
        $lines.Count | Should -Be 4
        @($lines | Where-Object { $_.action -eq 'SetSetting' }).account | Should -Be @($good.Email, $good.Email)
        $failures = @($lines | Where-Object { $_.action -eq 'Failure' })
        ($failures | Where-Object { $_.account -eq $locked.Email }).errorId | Should -Be 'AlexaCaptchaRequired'
        ($failures | Where-Object { $_.account -eq 'x@example.com' }).errorId | Should -Be 'AlexaInvalidInput'
        Get-Content $log -Raw | Should -Not -Match 'secret-for-x|correct-horse'
    }

    It 'writes no line and no file for -WhatIf' {
        $a = New-ReplicaAccount $Replica -Settings @{ VoiceRecordingReview = $true }
        $log = Join-Path $TestDrive 'whatif.jsonl'
        Set-AlexaDataSetting -Email $a.Email -Password $a.SecurePassword -BaseUri $Base -Enabled $false -WhatIf -AuditLogPath $log
        Test-Path $log | Should -BeFalse
        (Get-ReplicaAccount $Replica $a.Email).settings.VoiceRecordingReview | Should -BeTrue
    }

    It 'keeps every line whole when threads of several runspaces and two processes append at once' {
        $log = Join-Path $TestDrive 'busy.jsonl'
        $assembly = (Get-Module AlexaPrivacy).ImplementingAssembly.Location
        # Each writer appends through the module's AuditLog, 200 lines with a long message each.
        $writer = {
            param($Assembly, $Log, $Writer)
            $type = [System.Reflection.Assembly]::LoadFrom($Assembly).GetType('AlexaPrivacy.Execution.AuditLog')
            $flags = [System.Reflection.BindingFlags]'NonPublic,Instance'
            $auditLog = $type.GetConstructors($flags)[0].Invoke([object[]]@([string]$Log, 'Test'))
            $entryType = $type.Assembly.GetType('AlexaPrivacy.Execution.AuditEntry')
            foreach ($i in 1..200) {
                $entry = [Activator]::CreateInstance($entryType)
                $entry.Action = 'Failure'; $entry.Account = "$Writer-$i@example.com"; $entry.Message = 'x' * 3000
                $auditLog.Append($entry)
            }
        }
        $children = foreach ($p in 1..2) {
            Invoke-ChildPwsh "& { $writer } '$assembly' '$log' 'process$p'"
        }
        try {
            $writerText = $writer.ToString()
            1..6 | ForEach-Object -ThrottleLimit 6 -Parallel {
                $block = [scriptblock]::Create($using:writerText)
                & $block $using:assembly $using:log "runspace$_"
            }
        }
        finally {
            # The children finish before the test drive goes, whatever happened here.
            foreach ($c in $children) { if (-not $c.WaitForExit(120000)) { $c.Kill($true) } }
        }
        foreach ($c in $children) { $c.ExitCode | Should -Be 0 }
        $lines = @(Read-Audit $log)
        $lines.Count | Should -Be 1600
        ($lines.account | Sort-Object -Unique).Count | Should -Be 1600
        $lines | ForEach-Object { $_.message.Length | Should -Be 3000 }
    }

    It 'refuses a link at the audit-log path before any change, and leaves what it points at untouched' -Skip:$IsWindows {
        $a = New-ReplicaAccount $Replica -Settings @{ VoiceRecordingReview = $true }
        $victim = Join-Path $TestDrive 'victim.txt'
        Set-Content $victim 'untouched'
        $link = Join-Path $TestDrive 'linked.jsonl'
        $null = New-Item -ItemType SymbolicLink -Path $link -Target $victim
        $err = { Set-AlexaDataSetting -Email $a.Email -Password $a.SecurePassword -BaseUri $Base -Enabled $false -Confirm:$false -AuditLogPath $link -ErrorAction Stop } |
            Should -Throw -ErrorId 'AlexaAuditLogFailed,*' -PassThru
        $err.CategoryInfo.Category | Should -Be 'SecurityError'
        $err.Exception.Message | Should -Match 'is a link'
        $err.Exception.Message | Should -Match ([regex]::Escape($link))
        Get-Content $victim -Raw | Should -Be "untouched$([Environment]::NewLine)"
        (Get-Item $link).LinkTarget | Should -Be $victim
        (Get-Stored $a.Email).VoiceRecordingReview | Should -BeTrue
        (Get-ReplicaAccount $Replica $a.Email).signInCount | Should -Be 0
    }

    It 'makes an existing 0644 log owner-only and keeps its lines' -Skip:$IsWindows {
        $log = Join-Path $TestDrive 'loose.jsonl'
        '{"time":"2026-01-01T00:00:00.000Z","command":"Earlier","action":"Failure","account":"earlier@example.com"}' | Set-Content $log
        [System.IO.File]::SetUnixFileMode($log, [System.IO.UnixFileMode]([Convert]::ToInt32('644', 8)))
        Add-AuditLine (New-AuditLog $log) 'next@example.com'
        Get-Mode $log | Should -Be ([Convert]::ToInt32('600', 8))
        (Read-Audit $log).account | Should -Be @('earlier@example.com', 'next@example.com')
        # Loosened again between two lines of one run: made owner-only again by the next line.
        $auditLog = New-AuditLog $log
        [System.IO.File]::SetUnixFileMode($log, [System.IO.UnixFileMode]([Convert]::ToInt32('644', 8)))
        Add-AuditLine $auditLog 'last@example.com'
        Get-Mode $log | Should -Be ([Convert]::ToInt32('600', 8))
        @(Read-Audit $log).Count | Should -Be 3
    }

    It 'recreates a log deleted between two lines owner-only, and refuses a link put there between two lines' -Skip:$IsWindows {
        $log = Join-Path $TestDrive 'between.jsonl'
        $auditLog = New-AuditLog $log
        Add-AuditLine $auditLog 'first@example.com'
        Remove-Item $log
        Add-AuditLine $auditLog 'second@example.com'
        Get-Mode $log | Should -Be ([Convert]::ToInt32('600', 8))
        (Read-Audit $log).account | Should -Be 'second@example.com'

        $victim = Join-Path $TestDrive 'between-victim.txt'
        Set-Content $victim 'untouched'
        Remove-Item $log
        $null = New-Item -ItemType SymbolicLink -Path $log -Target $victim
        $thrown = $null
        try { Add-AuditLine $auditLog 'third@example.com' } catch { $thrown = $_.Exception.InnerException }
        $thrown | Should -Not -BeNullOrEmpty
        $thrown.ErrorId | Should -Be 'AlexaAuditLogFailed'
        $thrown.Message | Should -Match 'is a link'
        Get-Content $victim -Raw | Should -Be "untouched$([Environment]::NewLine)"
    }

    It 'holds every change the replica stored when a bulk run is stopped while changes are in flight' {
        # Slow data requests: each change waits 1.5-2.5 s before it is stored, and its verifying
        # reload as long again, so that stopping at the first stored change stops others in flight.
        $accounts = 1..6 | ForEach-Object { New-ReplicaAccount $Replica -Settings @{ VoiceRecordingReview = $true } }
        $log = Join-Path $TestDrive 'stopped.jsonl'
        Set-ReplicaFault $Replica @{ latencyMs = @(1500, 2500) }
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($ModulePath, $Rows, $Base, $Log)
                    Import-Module $ModulePath
                    $Rows | Set-AlexaDataSetting -BaseUri $Base -Enabled $false -Confirm:$false -ThrottleLimit 3 -AuditLogPath $Log -WarningAction SilentlyContinue
                }).AddArgument($ModulePath).AddArgument(@($accounts | ForEach-Object { [pscustomobject]@{ Email = $_.Email; Password = $_.Password } })).AddArgument($Base).AddArgument($log)
            $async = $ps.BeginInvoke()
            # Stop as soon as the replica stored the first change (bounded).
            $deadline = [datetime]::UtcNow.AddSeconds(120)
            $stored = @()
            while ([datetime]::UtcNow -lt $deadline -and $stored.Count -eq 0 -and -not $async.IsCompleted) {
                $stored = @($accounts | Where-Object { -not (Get-Stored $_.Email).VoiceRecordingReview })
                if ($stored.Count -eq 0) { Start-Sleep -Milliseconds 100 }
            }
            $stored.Count | Should -BeGreaterThan 0 -Because 'a change must have been stored within 120 s'
            $async.IsCompleted | Should -BeFalse -Because 'the run must still have changes in flight when it is stopped'
            $ps.Stop()
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        }
        finally { $ps.Dispose() }
        # A change request already at the replica may still be stored: wait past the longest latency.
        Start-Sleep -Seconds 4
        Set-ReplicaFault $Replica @{}
        $changed = @($accounts | Where-Object { -not (Get-Stored $_.Email).VoiceRecordingReview })
        $changed.Count | Should -BeLessThan 6 -Because 'the run was stopped before every account was changed'
        $lines = @(Read-Audit $log)
        foreach ($a in $changed) {
            $mine = @($lines | Where-Object { $_.action -eq 'SetSetting' -and $_.account -eq $a.Email -and $_.setting -eq 'VoiceRecordingReview' -and $_.newValue -eq 'Off' })
            $mine.Count | Should -BeGreaterThan 0 -Because "Amazon stored the change of $($a.Email), so the log must hold it"
        }
        # A change that was stopped before it was verified keeps its verified:false line.
        @($lines | Where-Object { $_.action -eq 'SetSetting' -and -not $_.verified }).Count | Should -BeGreaterOrEqual $changed.Count
    }
}
