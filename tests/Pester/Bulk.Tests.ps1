# Many accounts at once from a CSV through the pipeline: binding by property name, per-row errors
# with the row as target, progress, the summary warning, parallel runspaces, and no leaked contexts.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    $script:Replica = Start-TestReplica
    $script:Base = $Replica.BaseUri


    # Open browser contexts of the shared browser: 0 once a run has closed what it opened.
    function Get-OpenContextCount {
        $type = (Get-Module AlexaPrivacy).ImplementingAssembly.GetType('AlexaPrivacy.Browser.BrowserHost')
        $type.GetProperty('ContextCount').GetValue($null)
    }

    function New-CsvRows {
        param([object[]] $Rows, [string] $Name = 'accounts.csv')
        $path = Join-Path $TestDrive $Name
        $Rows | Export-Csv $path -NoTypeInformation
        $path
    }
}

AfterAll {
    Get-Module AlexaPrivacy | Remove-Module -Force
    Stop-TestReplica $Replica
}

Describe 'Set-AlexaDataSetting on a CSV of accounts' {
    AfterEach { Set-ReplicaFault $Replica @{} }

    It 'opts out every row, bound by property name with the UserName alias, plain-text passwords and TOTP keys, and warns once' {
        $accounts = foreach ($i in 1..4) {
            $key = if ($i % 2) { New-TestTotpKey }
            New-ReplicaAccount $Replica -TotpSecret $key -Settings @{ VoiceRecordingReview = $true }
        }
        $enabledTexts = 'no', 'OFF', '0', 'False'
        $csv = New-CsvRows @(for ($i = 0; $i -lt 4; $i++) {
                [pscustomobject]@{ UserName = $accounts[$i].Email; Password = $accounts[$i].Password; TotpSecret = $accounts[$i].TotpSecret; Marketplace = 'amazon.com'; Enabled = $enabledTexts[$i] }
            })
        $warnings = $null; $errors = $null
        $results = Import-Csv $csv | Set-AlexaDataSetting -BaseUri $Base -PassThru -Confirm:$false -ThrottleLimit 3 -WarningVariable warnings -ErrorVariable errors

        $errors | Should -BeNullOrEmpty
        @($results).Count | Should -Be 4
        ($results.Account | Sort-Object) | Should -Be ($accounts.Email | Sort-Object)
        $results | ForEach-Object { $_.Changed | Should -BeTrue; $_.NewValue | Should -Be 'Off' }
        foreach ($a in $accounts) { (Get-Stored $a.Email).VoiceRecordingReview | Should -BeFalse }
        @($warnings | Where-Object { "$_" -match 'plain text' }).Count | Should -Be 1
        @($warnings | Where-Object { "$_" -match 'failed' }).Count | Should -Be 0
        "$warnings" | Should -Not -Match ([regex]::Escape($accounts[0].Password))
        Get-OpenContextCount | Should -Be 0
    }

    It 'honours the Name and Value columns of each row' {
        $a = New-ReplicaAccount $Replica -Settings @{ DeletionByVoice = $false; VoiceRecordingRetention = 'UntilDeleted' }
        $b = New-ReplicaAccount $Replica -Settings @{ DeletionByVoice = $false; VoiceRecordingRetention = 'UntilDeleted' }
        $csv = New-CsvRows @(
            [pscustomobject]@{ Email = $a.Email; Password = $a.Password; Name = 'DeletionByVoice'; Enabled = 'yes'; Value = '' }
            [pscustomobject]@{ Email = $b.Email; Password = $b.Password; Name = 'VoiceRecordingRetention'; Enabled = ''; Value = 'EighteenMonths' }
        )
        $results = Import-Csv $csv | Set-AlexaDataSetting -BaseUri $Base -PassThru -Confirm:$false -WarningAction SilentlyContinue
        @($results).Count | Should -Be 2
        (Get-Stored $a.Email).DeletionByVoice | Should -BeTrue
        (Get-Stored $a.Email).VoiceRecordingRetention | Should -Be 'UntilDeleted'
        (Get-Stored $b.Email).VoiceRecordingRetention | Should -Be 'EighteenMonths'
        (Get-Stored $b.Email).DeletionByVoice | Should -BeFalse
    }

    It 'reports each bad row with its stable id and the row as target, opts out the rest, and sums up the failures' {
        $good1 = New-ReplicaAccount $Replica -Settings @{ VoiceRecordingReview = $true }
        $good2 = New-ReplicaAccount $Replica -TotpSecret (New-TestTotpKey) -Settings @{ VoiceRecordingReview = $true }
        $wrong = New-ReplicaAccount $Replica -Settings @{ VoiceRecordingReview = $true }
        $captcha = New-ReplicaAccount $Replica -Challenge captcha -Settings @{ VoiceRecordingReview = $true }
        $badEnabled = New-ReplicaAccount $Replica -Settings @{ VoiceRecordingReview = $true }
        $csv = New-CsvRows @(
            [pscustomobject]@{ Email = $good1.Email; Password = $good1.Password; TotpSecret = ''; Marketplace = ''; Enabled = 'false' }
            [pscustomobject]@{ Email = ''; Password = 'orphan-password'; TotpSecret = ''; Marketplace = ''; Enabled = 'false' }
            [pscustomobject]@{ Email = $good1.Email.ToUpperInvariant(); Password = $good1.Password; TotpSecret = ''; Marketplace = 'www.amazon.com'; Enabled = 'false' }
            [pscustomobject]@{ Email = 'nowhere@example.com'; Password = 'x'; TotpSecret = ''; Marketplace = 'amazon.example'; Enabled = 'false' }
            [pscustomobject]@{ Email = $wrong.Email; Password = 'not-the-password'; TotpSecret = ''; Marketplace = ''; Enabled = 'false' }
            [pscustomobject]@{ Email = $captcha.Email; Password = $captcha.Password; TotpSecret = ''; Marketplace = ''; Enabled = 'false' }
            [pscustomobject]@{ Email = $badEnabled.Email; Password = $badEnabled.Password; TotpSecret = ''; Marketplace = ''; Enabled = 'maybe' }
            [pscustomobject]@{ Email = $good2.Email; Password = $good2.Password; TotpSecret = $good2.TotpSecret; Marketplace = 'amazon.com'; Enabled = 'off' }
        )
        $errors = $null; $warnings = $null
        $results = Import-Csv $csv | Set-AlexaDataSetting -BaseUri $Base -PassThru -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue -WarningVariable warnings

        ($results.Account | Sort-Object) | Should -Be (@($good1.Email, $good2.Email) | Sort-Object)
        (Get-Stored $good1.Email).VoiceRecordingReview | Should -BeFalse
        (Get-Stored $good2.Email).VoiceRecordingReview | Should -BeFalse

        @($errors).Count | Should -Be 6
        $byRow = @{}
        foreach ($e in $errors) {
            # The target is the row's columns with the secrets replaced, never the plain-text password.
            $e.TargetObject.Password | Should -Be '(secret)'
            $byRow[[string]$e.TargetObject.Email] = $e
        }
        $byRow[''].FullyQualifiedErrorId | Should -BeLike 'AlexaInvalidInput,*'
        $byRow[''].Exception.Message | Should -Match 'no email'
        $byRow[$good1.Email.ToUpperInvariant()].FullyQualifiedErrorId | Should -BeLike 'AlexaInvalidInput,*'
        $byRow[$good1.Email.ToUpperInvariant()].Exception.Message | Should -Match 'more than once'
        $byRow['nowhere@example.com'].FullyQualifiedErrorId | Should -BeLike 'AlexaInvalidInput,*'
        $byRow['nowhere@example.com'].Exception.Message | Should -Match 'amazon.example'
        $byRow[$wrong.Email].FullyQualifiedErrorId | Should -BeLike 'AlexaAuthenticationFailed,*'
        $byRow[$captcha.Email].FullyQualifiedErrorId | Should -BeLike 'AlexaCaptchaRequired,*'
        $byRow[$badEnabled.Email].FullyQualifiedErrorId | Should -BeLike 'AlexaInvalidInput,*'
        $byRow[$badEnabled.Email].Exception.Message | Should -Match "'maybe'"

        # The failed rows changed nothing, the wrong password was tried once, and a row whose
        # Enabled cannot be read is refused before any sign-in.
        (Get-Stored $wrong.Email).VoiceRecordingReview | Should -BeTrue
        (Get-ReplicaAccount $Replica $wrong.Email).failedPasswordCount | Should -Be 1
        (Get-Stored $captcha.Email).VoiceRecordingReview | Should -BeTrue
        (Get-Stored $badEnabled.Email).VoiceRecordingReview | Should -BeTrue
        (Get-ReplicaAccount $Replica $badEnabled.Email).signInCount | Should -Be 0
        (Get-ReplicaAccount $Replica $good1.Email).signInCount | Should -Be 1

        "$errors" | Should -Not -Match 'orphan-password|not-the-password'
        ($errors.TargetObject | ConvertTo-Json) | Should -Not -Match 'orphan-password|not-the-password'
        @($warnings | Where-Object { "$_" -match '^6 of 8 accounts failed' }).Count | Should -Be 1
        Get-OpenContextCount | Should -Be 0
    }

    It 'shows progress with done, failed and total, the current account and time left, and completes it' {
        $accounts = 1..3 | ForEach-Object { New-ReplicaAccount $Replica }
        $rows = @($accounts | ForEach-Object { [pscustomobject]@{ Email = $_.Email; Password = $_.Password } }) +
            [pscustomobject]@{ Email = 'unknown-row@example.com'; Password = 'x'; Marketplace = 'amazon.example' } +
            [pscustomobject]@{ Email = ''; Password = 'x'; Marketplace = '' }
        $csv = New-CsvRows $rows
        # A PowerShell of its own keeps every progress record in its Progress stream.
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($ModulePath, $Csv, $Base)
                    Import-Module $ModulePath
                    Import-Csv $Csv | Set-AlexaDataSetting -BaseUri $Base -Enabled $false -Confirm:$false -ThrottleLimit 2 -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
                }).AddArgument($ModulePath).AddArgument($csv).AddArgument($Base)
            $null = $ps.Invoke()
            $progress = @($ps.Streams.Progress)
        }
        finally { $ps.Dispose() }
        $progress.Count | Should -BeGreaterThan 2
        $progress.StatusDescription | Should -Contain '5 of 5 accounts done, 2 failed'
        $progress.StatusDescription | Where-Object { $_ -match '^[1-4] of 5 accounts done' } | Should -Not -BeNullOrEmpty
        $progress.CurrentOperation | Where-Object { $_ -like 'Working on *@example.com' } | Should -Not -BeNullOrEmpty
        $progress.SecondsRemaining | Where-Object { $_ -gt 0 } | Should -Not -BeNullOrEmpty
        $progress[-1].RecordType | Should -Be 'Completed'
        @($progress | Where-Object RecordType -eq 'Completed').Count | Should -Be 1
        foreach ($a in $accounts) { (Get-Stored $a.Email).VoiceRecordingReview | Should -BeFalse }
    }
}

Describe 'Connect-AlexaAccount on a CSV of accounts' {
    It 'passes its sessions down the pipeline to Set-AlexaDataSetting, in parallel, with errors per row' {
        $accounts = 1..3 | ForEach-Object { New-ReplicaAccount $Replica -TotpSecret (New-TestTotpKey) -Settings @{ VoiceRecordingReview = $true } }
        $wrong = New-ReplicaAccount $Replica -Settings @{ VoiceRecordingReview = $true }
        $rows = @($accounts | ForEach-Object { [pscustomobject]@{ Account = $_.Email; Password = $_.Password; TotpSecret = $_.TotpSecret } }) +
            [pscustomobject]@{ Account = $wrong.Email; Password = 'not-the-password'; TotpSecret = '' }
        $csv = New-CsvRows $rows
        $errors = $null
        $sessions = [System.Collections.Generic.List[object]]::new()
        $results = Import-Csv $csv | Connect-AlexaAccount -BaseUri $Base -ThrottleLimit 4 -ErrorVariable errors -ErrorAction SilentlyContinue -WarningAction SilentlyContinue |
            ForEach-Object { $sessions.Add($_); $_ } |
            Set-AlexaDataSetting -Enabled $false -Confirm:$false -PassThru

        @($errors).Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'AlexaAuthenticationFailed,*'
        $errors[0].TargetObject.Email | Should -Be $wrong.Email
        $errors[0].TargetObject.Password | Should -Be '(secret)'
        ($results.Account | Sort-Object) | Should -Be ($accounts.Email | Sort-Object)
        foreach ($a in $accounts) { (Get-Stored $a.Email).VoiceRecordingReview | Should -BeFalse }
        (Get-Stored $wrong.Email).VoiceRecordingReview | Should -BeTrue
        $sessions | Disconnect-AlexaAccount
        Get-OpenContextCount | Should -Be 0
    }

    It 'reads the settings of many sessions with Get-AlexaDataSetting' {
        $accounts = 1..2 | ForEach-Object { New-ReplicaAccount $Replica -Settings @{ VoiceRecordingReview = $false } }
        $sessions = $accounts | ForEach-Object { [pscustomobject]@{ Email = $_.Email; Password = $_.SecurePassword } } | Connect-AlexaAccount -BaseUri $Base
        $settings = $sessions | Get-AlexaDataSetting -Name VoiceRecordingReview
        ($settings.Account | Sort-Object) | Should -Be ($accounts.Email | Sort-Object)
        $settings | ForEach-Object { $_.Value | Should -Be 'Off' }
        $sessions | Disconnect-AlexaAccount
    }
}

Describe 'The module in parallel runspaces' {
    It 'works under ForEach-Object -Parallel, each runspace with its own current session, on one shared browser' {
        $accounts = 1..4 | ForEach-Object { New-ReplicaAccount $Replica -Settings @{ VoiceRecordingReview = $true } }
        $modulePath = $ModulePath; $base = $Base
        $out = $accounts | ForEach-Object -ThrottleLimit 4 -Parallel {
            Import-Module $using:modulePath
            $session = Connect-AlexaAccount -Email $_.Email -Password $_.SecurePassword -BaseUri $using:base
            $change = Set-AlexaDataSetting -Enabled $false -Confirm:$false -PassThru
            # The current session of this runspace is the one it connected, whatever the others did.
            [pscustomobject]@{ Email = $_.Email; Current = (Get-AlexaDataSetting -Name VoiceRecordingReview).Account; Changed = $change.Changed; Process = $PID }
            Disconnect-AlexaAccount
            # Removing the module in one runspace leaves the shared browser to the others.
            Remove-Module AlexaPrivacy
        }
        @($out).Count | Should -Be 4
        foreach ($o in $out) { $o.Current | Should -Be $o.Email; $o.Changed | Should -BeTrue }
        foreach ($a in $accounts) { (Get-Stored $a.Email).VoiceRecordingReview | Should -BeFalse }
        # The runspaces are gone; the shared browser still serves this one.
        $after = New-ReplicaAccount $Replica
        $session = Connect-AlexaAccount -Email $after.Email -Password $after.SecurePassword -BaseUri $Base
        $session.IsOpen | Should -BeTrue
        Disconnect-AlexaAccount -Session $session
        Get-OpenContextCount | Should -Be 0
    }
}

Describe 'A row names its own account, whatever the current session' {
    # PowerShell binds the default parameter set's columns first: a row with an Enabled column and no
    # -BaseUri on the command line (the way rows run against Amazon) must still be its own account.
    It 'changes and tests the account of each row (a saved session column), never the current session' {
        $current = New-ReplicaAccount $Replica
        $row = New-ReplicaAccount $Replica
        $file = Join-Path $TestDrive "row-$([guid]::NewGuid().ToString('N')).session"
        Connect-AlexaAccount -Email $row.Email -Password $row.SecurePassword -BaseUri $Base -SessionPath $file | Disconnect-AlexaAccount
        $session = Connect-AlexaAccount -Email $current.Email -Password $current.SecurePassword -BaseUri $Base
        try {
            $rows = @([pscustomobject]@{ SessionPath = $file; Enabled = 'false' })
            # The file was saved on the replica, not on amazon.com's own site, and a saved file never
            # decides where credentials go: without -BaseUri the row is refused, as its own account.
            $err = $null
            $refused = $rows | Set-AlexaDataSetting -Confirm:$false -PassThru -ErrorVariable err -ErrorAction SilentlyContinue
            $refused | Should -BeNullOrEmpty
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'AlexaUnsafeOrigin,*'
            $err[0].Exception.Message | Should -Match ([regex]::Escape($row.Email))
            (Get-Stored $row.Email).VoiceRecordingReview | Should -BeTrue
            (Get-Stored $current.Email).VoiceRecordingReview | Should -BeTrue
            $changes = $rows | Set-AlexaDataSetting -BaseUri $Base -Confirm:$false -PassThru -ErrorAction Stop
            $changes.Account | Should -Be $row.Email
            (Get-Stored $row.Email).VoiceRecordingReview | Should -BeFalse
            (Get-Stored $current.Email).VoiceRecordingReview | Should -BeTrue
            $rows | Test-AlexaDataSetting -BaseUri $Base -ErrorAction Stop | Should -Be $true
            Test-AlexaDataSetting -Enabled $false -ErrorAction Stop | Should -Be $false # the current session's own account
        }
        finally { Disconnect-AlexaAccount -Session $session }
    }
}
