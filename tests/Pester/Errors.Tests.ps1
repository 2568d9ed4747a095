# What a script sees when rows fail: errors that name their account, a target object that is the
# row's own columns, distinct ids for an unreachable site and a confirmation that cannot be asked,
# and the documented one-line pattern that makes a scheduled script exit non-zero.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    $script:Replica = Start-TestReplica
    $script:Base = $Replica.BaseUri

    # A child pwsh (the one running the tests) on a script file; returns its output and exit code.
    function Invoke-ChildScript {
        param([string] $Script, [string[]] $Arguments = @())
        $file = Join-Path $TestDrive "child-$([guid]::NewGuid().ToString('N')).ps1"
        Set-Content $file $Script
        $self = Get-Process -Id $PID
        $all = @('-NoProfile', '-NonInteractive', '-File', $file) + $Arguments
        $output = if ($self.ProcessName -eq 'dotnet') { & dotnet (Join-Path $PSHOME 'pwsh.dll') @all 2>&1 } else { & $self.Path @all 2>&1 }
        [pscustomobject]@{ Output = @($output | ForEach-Object { "$_" }); ExitCode = $LASTEXITCODE }
    }
}

AfterAll {
    Get-Module AlexaPrivacy | Remove-Module -Force
    Stop-TestReplica $Replica
}

Describe 'Row errors' {
    It 'name their account, and their target object is the row''s own columns with secrets masked' {
        $rows = @(
            [pscustomobject]@{ Email = 'switch@example.com'; Password = 'row-password-1'; Name = 'VoiceRecordingReview' }
            [pscustomobject]@{ Email = 'market@example.com'; Password = 'row-password-2'; Marketplace = 'amazon.xx'; Enabled = 'false' }
        )
        $rows | Set-AlexaDataSetting -BaseUri $Base -PassThru -ThrottleLimit 2 -Confirm:$false -ErrorVariable failed -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $failed.Count | Should -Be 2
        $failed.FullyQualifiedErrorId | Sort-Object -Unique | Should -Be 'AlexaInvalidInput,AlexaPrivacy.Commands.SetAlexaDataSettingCommand'
        $failed[0].Exception.Message | Should -BeLike 'switch@example.com: VoiceRecordingReview is a switch and needs -Enabled*'
        $failed[1].Exception.Message | Should -BeLike "market@example.com: 'amazon.xx' is not a marketplace*"
        $failed[0].TargetObject.PSObject.Properties.Name | Sort-Object | Should -Be @('Email', 'Name', 'Password')
        $failed[1].TargetObject.PSObject.Properties.Name | Sort-Object | Should -Be @('Email', 'Enabled', 'Marketplace', 'Password')
        $failed.TargetObject.Password | Sort-Object -Unique | Should -Be '(secret)'
        ($failed.TargetObject | ConvertTo-Json) | Should -Not -Match 'row-password|ErrorVariable|PassThru|ThrottleLimit|BaseUri'
    }
}

Describe 'Distinct error ids' {
    It 'reports a site that cannot be reached as AlexaSiteUnreachable with a recommendation' {
        # A port that was just free on loopback: nothing listens there.
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
        $rows = [pscustomobject]@{ Email = 'far@example.com'; Password = 'pw' }
        $rows | Get-AlexaDataSetting -BaseUri "http://127.0.0.1:$port/" -ErrorVariable failed -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be 'AlexaSiteUnreachable,AlexaPrivacy.Commands.GetAlexaDataSettingCommand'
        $failed[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        $failed[0].Exception.Message | Should -BeLike 'The site cannot be reached for far@example.com: net::ERR_CONNECTION_REFUSED*'
        $failed[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
    }

    It 'reports a confirmation that -NonInteractive cannot ask as AlexaConfirmationRequired, and -Confirm:$false runs' {
        $account = New-ReplicaAccount $Replica -Settings @{ VoiceRecordingReview = $true }
        $result = Invoke-ChildScript -Arguments @($ModulePath, $Base, $account.Email, $account.Password) -Script @'
param($ModulePath, $Base, $Email, $Password)
Import-Module $ModulePath
$s = Connect-AlexaAccount -Email $Email -Password (ConvertTo-SecureString $Password -AsPlainText -Force) -BaseUri $Base -ErrorAction Stop
Set-AlexaDataSetting -Session $s -Enabled $false -Confirm -ErrorVariable failed -ErrorAction SilentlyContinue
foreach ($e in $failed) { "ID=$($e.FullyQualifiedErrorId)"; "ACTION=$($e.ErrorDetails.RecommendedAction)" }
"STORED=$((Test-AlexaDataSetting -Session $s -Enabled $true))"
Set-AlexaDataSetting -Session $s -Enabled $false -Confirm:$false -ErrorAction Stop
"AFTER=$((Test-AlexaDataSetting -Session $s -Enabled $false))"
'@
        $result.Output | Should -Contain 'ID=AlexaConfirmationRequired,AlexaPrivacy.Commands.SetAlexaDataSettingCommand'
        ($result.Output | Where-Object { $_ -like 'ACTION=*' }) | Should -BeLike '*-Confirm:$false*'
        $result.Output | Should -Contain 'STORED=True'
        $result.Output | Should -Contain 'AFTER=True'
        $result.Output -join "`n" | Should -Not -Match 'Unexpected failure|PSInvalidOperationException'
    }
}

Describe 'A scheduled bulk run' {
    It 'exits 1 with the documented -ErrorVariable pattern when a row fails, and 0 when none does' {
        $good = New-ReplicaAccount $Replica
        $csv = Join-Path $TestDrive 'accounts.csv'
        @(
            [pscustomobject]@{ Email = $good.Email; Password = $good.Password }
            [pscustomobject]@{ Email = 'wrong@example.com'; Password = 'not-it' }
        ) | Export-Csv $csv
        $okCsv = Join-Path $TestDrive 'ok.csv'
        @([pscustomobject]@{ Email = $good.Email; Password = $good.Password }) | Export-Csv $okCsv
        # The pattern about_AlexaPrivacy documents, word for word after the module is imported.
        $script = @'
param($ModulePath, $Base, $Csv)
Import-Module $ModulePath
Import-Csv $Csv | Set-AlexaDataSetting -Enabled $false -Confirm:$false -BaseUri $Base -ErrorVariable failed
if ($failed) { exit 1 }
'@
        $bad = Invoke-ChildScript -Script $script -Arguments @($ModulePath, $Base, $csv)
        $bad.ExitCode | Should -Be 1
        (Get-ReplicaAccount $Replica $good.Email).settings.VoiceRecordingReview | Should -BeFalse
        $ok = Invoke-ChildScript -Script $script -Arguments @($ModulePath, $Base, $okCsv)
        $ok.ExitCode | Should -Be 0
    }
}
