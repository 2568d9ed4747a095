# Sessions: Get-AlexaSession and Disconnect-AlexaAccount -All, session files resolved like every
# PowerShell path (relative to $PWD, ~ expanded, a new folder owner-only), and a saved session that
# knows its account so that -SessionPath alone is enough.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    $script:Replica = Start-TestReplica
    $script:Base = $Replica.BaseUri

    function Connect-New {
        $account = New-ReplicaAccount $Replica
        $session = Connect-AlexaAccount -Email $account.Email -Password $account.SecurePassword -BaseUri $Base
        [pscustomobject]@{ Session = $session; Email = $account.Email; Account = $account }
    }
    function Get-Mode { param([string] $Path) '{0}' -f [Convert]::ToString(([int][System.IO.File]::GetUnixFileMode($Path)) -band 0x1ff, 8) }
}

AfterAll {
    Get-Module AlexaPrivacy | Remove-Module -Force
    Stop-TestReplica $Replica
}

Describe 'Get-AlexaSession and Disconnect-AlexaAccount -All' {
    It 'lists the open sessions of this runspace with the current one marked, and -All closes them all' {
        Disconnect-AlexaAccount -All
        $first = Connect-New
        $second = Connect-New
        $sessions = @(Get-AlexaSession)
        $sessions.Account | Should -Be @($first.Email, $second.Email)
        $sessions.IsCurrent | Should -Be @($false, $true)
        (Get-AlexaSession -Current).Account | Should -Be $second.Email
        @(Get-AlexaSession -Account 'user-*').Count | Should -Be 2
        (Get-AlexaSession $first.Email).Id | Should -Be $first.Session.Id
        $table = Get-AlexaSession | Format-Table | Out-String -Width 120
        $table | Should -Match "\*\s+$([regex]::Escape($second.Email))"
        $table | Should -Not -Match "\*\s+$([regex]::Escape($first.Email))"
        Get-AlexaSession 'nobody@example.com' -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -Be 'AlexaNoSession,AlexaPrivacy.Commands.GetAlexaSessionCommand'

        # Another runspace has sessions of its own.
        $ps = [powershell]::Create()
        try { @($ps.AddScript("Import-Module '$ModulePath'; @(Get-AlexaSession).Count").Invoke())[0] | Should -Be 0 }
        finally { $ps.Dispose() }

        Disconnect-AlexaAccount -All -Confirm:$false
        @(Get-AlexaSession).Count | Should -Be 0
        $first.Session.IsOpen | Should -BeFalse
        $second.Session.IsOpen | Should -BeFalse
        { Get-AlexaDataSetting -ErrorAction Stop } | Should -Throw -ErrorId 'AlexaNoSession,AlexaPrivacy.Commands.GetAlexaDataSettingCommand'
    }

    It 'closes nothing with Disconnect-AlexaAccount -All -WhatIf' {
        $t = Connect-New
        Disconnect-AlexaAccount -All -WhatIf
        $t.Session.IsOpen | Should -BeTrue
        Disconnect-AlexaAccount -All
    }
}

Describe 'Session files' {
    It 'resolves a relative -SessionPath against $PWD and creates its folder owner-only' {
        $t = New-ReplicaAccount $Replica
        Push-Location $TestDrive
        try {
            $session = Connect-AlexaAccount -Email $t.Email -Password $t.SecurePassword -BaseUri $Base -SessionPath 'new-folder/deeper/ann.session'
        }
        finally { Pop-Location }
        $file = Join-Path $TestDrive 'new-folder/deeper/ann.session'
        $session.SessionPath | Should -Be $file
        Test-Path $file | Should -BeTrue
        if (-not $IsWindows) {
            Get-Mode (Join-Path $TestDrive 'new-folder') | Should -Be '700'
            Get-Mode (Join-Path $TestDrive 'new-folder/deeper') | Should -Be '700'
            Get-Mode $file | Should -Be '600'
            Test-Path "$file.account" | Should -BeFalse -Because 'the session file records its own account'
        }
        Disconnect-AlexaAccount -Session $session
    }

    It 'expands ~ in -SessionPath to the home folder, as the README example does' {
        $t = New-ReplicaAccount $Replica
        $folderName = ".alexaprivacy-test-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        $home_ = (Get-PSProvider FileSystem).Home
        Push-Location $TestDrive
        try {
            $session = Connect-AlexaAccount -Email $t.Email -Password $t.SecurePassword -BaseUri $Base -SessionPath "~/$folderName/ann.session"
            $session.SessionPath | Should -Be (Join-Path $home_ "$folderName/ann.session")
            Test-Path $session.SessionPath | Should -BeTrue
            Test-Path (Join-Path $TestDrive '~') | Should -BeFalse
            if (-not $IsWindows) { Get-Mode (Join-Path $home_ $folderName) | Should -Be '700' }
            Disconnect-AlexaAccount -Session $session
        }
        finally {
            Pop-Location
            Remove-Item (Join-Path $home_ $folderName) -Recurse -Force -ErrorAction SilentlyContinue
        }
    }

    It 'resolves a SessionPath column against $PWD too, and the saved file alone then signs in' {
        $t = New-ReplicaAccount $Replica -Settings @{ DeletionByVoice = $true }
        Push-Location $TestDrive
        try {
            $rows = [pscustomobject]@{ Email = $t.Email; Password = $t.Password; SessionPath = 'csv-sessions/row.session' }
            $setting = $rows | Get-AlexaDataSetting -Name DeletionByVoice -BaseUri $Base -WarningAction SilentlyContinue -ErrorAction Stop
            $setting.Enabled | Should -BeTrue
            Test-Path 'csv-sessions/row.session' | Should -BeTrue
            # A row with only the SessionPath column: the file knows its account; the site is the command's -BaseUri.
            $again = [pscustomobject]@{ SessionPath = 'csv-sessions/row.session' } | Get-AlexaDataSetting -Name DeletionByVoice -BaseUri $Base -ErrorAction Stop
            $again.Account | Should -Be $t.Email
        }
        finally { Pop-Location }
    }

    It 'signs in with Connect-AlexaAccount -SessionPath (and the site''s -BaseUri) alone, since the saved file knows its account' {
        $t = New-ReplicaAccount $Replica
        $file = Join-Path $TestDrive 'alone.session'
        $first = Connect-AlexaAccount -Email $t.Email -Password $t.SecurePassword -BaseUri $Base -SessionPath $file
        Disconnect-AlexaAccount -Session $first
        Start-Sleep -Seconds 2
        $session = Connect-AlexaAccount -SessionPath $file -BaseUri $Base -ErrorAction Stop
        # SignedInAt is the time of the sign-in that was saved, not the time the file was reopened.
        [math]::Abs(($session.SignedInAt - $first.SignedInAt).TotalSeconds) | Should -BeLessThan 2
        $session.SignedInAt | Should -BeLessThan ([DateTimeOffset]::Now.AddSeconds(-1))
        $session.Account | Should -Be $t.Email
        $session.Marketplace | Should -Be 'amazon.com'
        $session.BaseUri | Should -Be ([uri]$Base)
        $session.Reused | Should -BeTrue
        (Get-AlexaDataSetting -Session $session -Name VoiceRecordingReview).Account | Should -Be $t.Email
        Disconnect-AlexaAccount -Session $session
    }

    It 'reports a session file that does not exist as AlexaSessionFileNotFound, with what to do' {
        $missing = Join-Path $TestDrive 'no-such.session'
        $err = $null
        Connect-AlexaAccount -SessionPath $missing -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'AlexaSessionFileNotFound,AlexaPrivacy.Commands.ConnectAlexaAccountCommand'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[0].Exception.Message | Should -Match ([regex]::Escape($missing))
        $err[0].ErrorDetails.RecommendedAction | Should -Match '-SessionPath'
        $rows = [pscustomobject]@{ Email = 'ann@example.com'; SessionPath = $missing }
        $rows | Set-AlexaDataSetting -Enabled $false -BaseUri $Base -ErrorVariable rowErr -ErrorAction SilentlyContinue
        $rowErr[0].FullyQualifiedErrorId | Should -Be 'AlexaSessionFileNotFound,AlexaPrivacy.Commands.SetAlexaDataSettingCommand'
        $rowErr[0].Exception.Message | Should -Match 'ann@example.com'
    }
}

Describe 'Completion' {
    BeforeAll {
        $script:Folder = Join-Path $TestDrive 'completion'
        $null = New-Item -ItemType Directory $Folder
        foreach ($name in 'office.psd1', 'notes.txt', 'ann.session', 'ann.session.account') { Set-Content (Join-Path $Folder $name) 'x' }
        $null = New-Item -ItemType Directory (Join-Path $Folder 'policies')
        function Get-Completion([string] $Line) {
            Push-Location $Folder
            try { @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText) }
            finally { Pop-Location }
        }
    }

    It 'offers the accounts and sessions that are open, never file names, for -Email, Get-AlexaSession and -Session' {
        Disconnect-AlexaAccount -All
        Get-Completion 'Get-AlexaSession ' | Should -Be @("''")
        Get-Completion 'Connect-AlexaAccount -Email ' | Should -Be @("''")
        Get-Completion 'Disconnect-AlexaAccount -Session ' | Should -Be @("''")
        Get-Completion 'Connect-AlexaAccount -Email no' | Should -Be @('no')
        $t = Connect-New
        try {
            # Quoted, as the module offers any value with an '@'.
            Get-Completion 'Get-AlexaSession ' | Should -Be @("'$($t.Email)'")
            Get-Completion 'Connect-AlexaAccount -Email ' | Should -Be @("'$($t.Email)'")
            Get-Completion 'Disconnect-AlexaAccount -Session ' | Should -Be @("`$(Get-AlexaSession '$($t.Email)')")
        }
        finally { Disconnect-AlexaAccount -Session $t.Session }
    }

    It 'offers only .psd1 files and folders for -Policy, and no .account side file for -SessionPath' {
        $policy = Get-Completion 'Test-AlexaPrivacyPolicy -Policy '
        $policy | Should -Contain './office.psd1'
        $policy | Should -Contain './policies'
        $policy | Should -Not -Contain './notes.txt'
        $policy | Should -Not -Contain './ann.session'
        $session = Get-Completion 'Connect-AlexaAccount -SessionPath '
        $session | Should -Contain './ann.session'
        $session | Should -Not -Contain './ann.session.account'
        $session = Get-Completion 'Get-AlexaDataSetting -SessionPath ann'
        $session | Should -Be @('./ann.session')
    }
}
