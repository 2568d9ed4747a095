# Faults Amazon's side can throw at the module, injected by the replica: latency, 429/503 on pages,
# data requests and changes, pages that never answer, Ctrl+C, changes that do not stick, sessions
# that end mid-run, and the sign-in challenges (captcha, push approval, locked account).
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    $script:Replica = Start-TestReplica
    $script:Base = $Replica.BaseUri
    $script:Diagnostics = Join-Path $TestDrive 'diagnostics'
    $env:ALEXAPRIVACY_DIAGNOSTICS_PATH = $Diagnostics

    # Short timeouts, laid over the embedded site profile, so that a hang fails in seconds.
    $script:ShortProfile = Join-Path $TestDrive 'short-timeouts.json'
    '{ "timeouts": { "navigationSeconds": 4, "actionSeconds": 3 } }' | Set-Content $ShortProfile

}

AfterAll {
    $env:ALEXAPRIVACY_DIAGNOSTICS_PATH = $null
    $env:ALEXAPRIVACY_SITE_PROFILE = $null
    Get-Module AlexaPrivacy | Remove-Module -Force
    Stop-TestReplica $Replica
}

Describe 'Slow and throttled privacy pages' {
    AfterEach { Set-ReplicaFault $Replica @{} }

    It 'still turns off human review when every page and data request takes seconds' {
        $t = Connect-Seeded @{ VoiceRecordingReview = $true }
        Set-ReplicaFault $Replica @{ pageLatencyMs = @(1000, 2000); latencyMs = @(2500, 3500) }
        $change = Set-AlexaDataSetting -Session $t.Session -Enabled $false -Confirm:$false -PassThru
        $change.Changed | Should -BeTrue
        (Get-Stored $t.Email).VoiceRecordingReview | Should -BeFalse
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'reads the settings after the page itself was answered 503 twice' {
        $t = Connect-Seeded @{ VoiceRecordingReview = $false }
        Set-ReplicaFault $Replica @{ throttle = @{ status = 503; count = 2; pathPrefix = '/alexa-privacy/apd/myad' } }
        $verbose = Get-AlexaDataSetting -Session $t.Session -Name VoiceRecordingReview -Verbose 4>&1
        ($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -Match 'answered 503'
        ($verbose | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }).Value | Should -Be 'Off'
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'reads the settings after the page''s data request was answered 429 twice' {
        $t = Connect-Seeded @{ VoiceRecordingReview = $false }
        Set-ReplicaFault $Replica @{ throttle = @{ status = 429; count = 2; pathPrefix = '/alexa-privacy/apd/myad/settings-data' } }
        $output = Get-AlexaDataSetting -Session $t.Session -Name VoiceRecordingReview -Verbose 4>&1
        ($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -Match 'answered 429 to /alexa-privacy/apd/myad/settings-data, a request of the Manage Your Alexa Data page for .*; trying again \(2 of 6\) in'
        ($output | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }).Value | Should -Be 'Off'
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'fails with AlexaRateLimited after a bounded number of tries when every data request is throttled' {
        $t = Connect-Seeded @{ VoiceRecordingReview = $true }
        Set-ReplicaFault $Replica @{ throttle = @{ status = 429; count = 1000; pathPrefix = '/alexa-privacy/apd/myad/settings-data' } }
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $err = $null
        $out = Get-AlexaDataSetting -Session $t.Session -ErrorVariable err -ErrorAction SilentlyContinue
        $clock.Stop()
        $out | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AlexaRateLimited*'
        $err[0].CategoryInfo.Category | Should -Be 'LimitsExceeded'
        $err[0].ToString() | Should -Match 'gave up after 6 tries'
        # Six tries with about 0.8 + 1.6 + 3.2 + 5 + 5 s of backoff between them: bounded, not forever.
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 30
        (Invoke-ReplicaAdmin $Replica -Path '/__replica/faults').throttle.count | Should -Be 994
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'retries a throttled change after reading the state again, and Amazon stores it' {
        $t = Connect-Seeded @{ VoiceRecordingReview = $true }
        Set-ReplicaFault $Replica @{ throttle = @{ status = 503; count = 2; pathPrefix = '/alexa-privacy/apd/myad/update-setting' } }
        $output = Set-AlexaDataSetting -Session $t.Session -Enabled $false -Confirm:$false -PassThru -Verbose 4>&1
        ($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -Match 'answered 503 to the change of .*; trying again \(2 of 6\)'
        $change = $output | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
        $change.Changed | Should -BeTrue
        $change.NewValue | Should -Be 'Off'
        (Get-Stored $t.Email).VoiceRecordingReview | Should -BeFalse
        (Invoke-ReplicaAdmin $Replica -Path '/__replica/faults').throttle.count | Should -Be 0
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'reports AlexaRateLimited and no success when every change is throttled' {
        $t = Connect-Seeded @{ VoiceRecordingRetention = 'UntilDeleted' }
        Set-ReplicaFault $Replica @{ throttle = @{ status = 429; count = 1000; pathPrefix = '/alexa-privacy/apd/myad/update-setting' } }
        $err = $null
        $out = Set-AlexaDataSetting -Session $t.Session -Name VoiceRecordingRetention -Value EighteenMonths -Confirm:$false -PassThru -ErrorVariable err -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AlexaRateLimited*'
        $err[0].ToString() | Should -Match 'gave up after 6 tries'
        (Invoke-ReplicaAdmin $Replica -Path '/__replica/faults').throttle.count | Should -Be 994
        (Get-Stored $t.Email).VoiceRecordingRetention | Should -Be 'UntilDeleted'
        Disconnect-AlexaAccount -Session $t.Session
    }
}

Describe 'Pages that never answer, and Ctrl+C' {
    BeforeEach { $env:ALEXAPRIVACY_SITE_PROFILE = $ShortProfile }
    AfterEach { $env:ALEXAPRIVACY_SITE_PROFILE = $null; Set-ReplicaFault $Replica @{} }

    It 'fails with AlexaTimeout within the timeout when the page''s data request never answers, and saves the page' {
        $account = New-ReplicaAccount $Replica
        Set-ReplicaFault $Replica @{ hang = @{ pathPrefix = '/alexa-privacy/apd/myad/settings-data' } }
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $err = $null
        $out = Get-AlexaDataSetting -Email $account.Email -Password $account.SecurePassword -BaseUri $Base -ErrorVariable err -ErrorAction SilentlyContinue
        $clock.Stop()
        $out | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AlexaTimeout*'
        $err[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        $err[0].TargetObject.Email | Should -Be $account.Email
        $err[0].TargetObject.Password | Should -Be '(secret)'
        # navigationSeconds is 4; the rest is the sign-in and the bounded capture of the page.
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 20
        $err[0].Exception.ScreenshotPath | Should -Not -BeNullOrEmpty
        $err[0].ToString() | Should -Match ([regex]::Escape($err[0].Exception.ScreenshotPath))
        $err[0].Exception.ScreenshotPath | Should -BeLike "$Diagnostics*"
        Test-Path $err[0].Exception.ScreenshotPath | Should -BeTrue
        Test-Path ($err[0].Exception.ScreenshotPath -replace '\.png$', '.html') | Should -BeTrue
    }

    It 'fails with AlexaTimeout when the settings page itself never answers' {
        $t = Connect-Seeded @{}
        Set-ReplicaFault $Replica @{ hang = @{ pathPrefix = '/alexa-privacy/apd/myad' } }
        $err = $null
        $clock = [Diagnostics.Stopwatch]::StartNew()
        Get-AlexaDataSetting -Email $t.Email -Password $t.Account.SecurePassword -BaseUri $Base -ErrorVariable err -ErrorAction SilentlyContinue
        $clock.Stop()
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AlexaTimeout*'
        $err[0].ToString() | Should -Match 'did not answer within 4 s'
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 20
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'fails with AlexaTimeout and reports no change when a change is sent and never answered' {
        $t = Connect-Seeded @{ VoiceRecordingReview = $true }
        Set-ReplicaFault $Replica @{ hang = @{ pathPrefix = '/alexa-privacy/apd/myad/update-setting' } }
        $err = $null
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $out = Set-AlexaDataSetting -Session $t.Session -Enabled $false -Confirm:$false -PassThru -ErrorVariable err -ErrorAction SilentlyContinue
        $clock.Stop()
        $out | Should -BeNullOrEmpty
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AlexaTimeout*'
        $err[0].ToString() | Should -Match 'within 4 s'
        # navigationSeconds is 4: the change's wait, not the command, ran out.
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 20
        # The change is still held at the replica, unanswered: nothing was stored.
        (Get-Stored $t.Email).VoiceRecordingReview | Should -BeTrue
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'stops within two seconds on Ctrl+C while a page hangs' {
        $env:ALEXAPRIVACY_SITE_PROFILE = $null # the default 30 s timeout: only Stop can end it this soon
        $account = New-ReplicaAccount $Replica
        Set-ReplicaFault $Replica @{ hang = @{ pathPrefix = '/alexa-privacy/apd/myad/settings-data' } }
        $ps = [powershell]::Create()
        $null = $ps.AddScript({
                param($ModulePath, $Email, $Password, $Base)
                Import-Module $ModulePath
                Get-AlexaDataSetting -Email $Email -Password (ConvertTo-SecureString $Password -AsPlainText -Force) -BaseUri $Base -Verbose
            }).AddArgument($ModulePath).AddArgument($account.Email).AddArgument($account.Password).AddArgument($Base)
        $async = $ps.BeginInvoke()
        # Wait (bounded) until the cmdlet signed in and is waiting on the hanging request.
        $deadline = [datetime]::UtcNow.AddSeconds(60)
        while ([datetime]::UtcNow -lt $deadline -and -not ($ps.Streams.Verbose.Message -match 'Opening')) { Start-Sleep -Milliseconds 100 }
        while ([datetime]::UtcNow -lt $deadline -and (Get-ReplicaAccount $Replica $account.Email).signInCount -lt 1) { Start-Sleep -Milliseconds 100 }
        Start-Sleep -Seconds 2
        $async.IsCompleted | Should -BeFalse
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $ps.Stop()
        $clock.Stop()
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 2
        $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        $ps.Dispose()
    }
}

Describe 'Changes that do not stick and sessions that end mid-run' {
    AfterEach { Set-ReplicaFault $Replica @{} }

    It 'reports AlexaChangeNotPersisted, never success, when Amazon drops the change, with the page saved' {
        $t = Connect-Seeded @{ VoiceRecordingReview = $true }
        Set-ReplicaFault $Replica @{ dropChanges = $true }
        $err = $null
        $out = Set-AlexaDataSetting -Session $t.Session -Enabled $false -Confirm:$false -PassThru -ErrorVariable err -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AlexaChangeNotPersisted*'
        $err[0].TargetObject | Should -Be $t.Session
        $err[0].ToString() | Should -Match 'shows On, not Off'
        $shot = $err[0].Exception.ScreenshotPath
        $shot | Should -BeLike "$Diagnostics*"
        $err[0].ToString() | Should -Match ([regex]::Escape($shot))
        Test-Path $shot | Should -BeTrue
        Get-Content ($shot -replace '\.png$', '.html') -Raw | Should -Match 'Manage Your Alexa Data'
        (Get-Stored $t.Email).VoiceRecordingReview | Should -BeTrue
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'signs in again once when Amazon ends the session between the page and its change' {
        $t = Connect-Seeded @{ VoiceRecordingReview = $true }
        # The hub was request 1; the settings page and its data are 2 and 3; the change is refused.
        Set-ReplicaFault $Replica @{ expireAfterRequests = 3 }
        $output = Set-AlexaDataSetting -Session $t.Session -Enabled $false -Confirm:$false -PassThru -Verbose 4>&1
        ($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -Match 'ended the session'
        ($output | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }).Changed | Should -BeTrue
        (Get-Stored $t.Email).VoiceRecordingReview | Should -BeFalse
        (Get-ReplicaAccount $Replica $t.Email).signInCount | Should -BeGreaterOrEqual 2
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'fails with AlexaSessionExpired when the session ends mid-run and only a saved session is at hand' {
        $account = New-ReplicaAccount $Replica -Settings @{ VoiceRecordingReview = $true }
        $path = Join-Path $TestDrive 'mid-run.session'
        Connect-AlexaAccount -Email $account.Email -Password $account.SecurePassword -BaseUri $Base -SessionPath $path | Disconnect-AlexaAccount
        $session = Connect-AlexaAccount -Email $account.Email -SessionPath $path -BaseUri $Base
        Set-ReplicaFault $Replica @{ expireAfterRequests = 3 }
        $err = $null
        $out = Set-AlexaDataSetting -Session $session -Enabled $false -Confirm:$false -PassThru -ErrorVariable err -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AlexaSessionExpired*'
        (Get-Stored $account.Email).VoiceRecordingReview | Should -BeTrue
        Disconnect-AlexaAccount -Session $session
    }
}

Describe 'Sign-in challenges' {
    AfterEach { $env:ALEXAPRIVACY_SITE_PROFILE = $null }

    It 'fails with AlexaCaptchaRequired and types nothing into the captcha' {
        $account = New-ReplicaAccount $Replica -Challenge captcha
        { Connect-AlexaAccount -Email $account.Email -Password $account.SecurePassword -BaseUri $Base -ErrorAction Stop } |
            Should -Throw -ErrorId 'AlexaCaptchaRequired*'
        (Get-ReplicaAccount $Replica $account.Email).signInCount | Should -Be 0
    }

    It 'fails with AlexaAccountLocked on "Password assistance" and does not submit the password again' {
        $account = New-ReplicaAccount $Replica -Challenge locked
        $err = $null
        Connect-AlexaAccount -Email $account.Email -Password $account.SecurePassword -BaseUri $Base -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AlexaAccountLocked*'
        $err[0].TargetObject.Email | Should -Be $account.Email
    }

    It 'reports AlexaAccountLocked once repeated wrong passwords lock the account, and warns that a rerun tries the wrong password again' {
        $good = New-ReplicaAccount $Replica
        $victim = New-ReplicaAccount $Replica
        $rows = @(
            [pscustomobject]@{ Email = $good.Email; Password = $good.Password }
            [pscustomobject]@{ Email = $victim.Email; Password = 'not-the-password' }
        )
        $ids = foreach ($run in 1..5) {
            $err = $null; $warn = $null
            $null = $rows | Get-AlexaDataSetting -BaseUri $Base -ErrorVariable err -ErrorAction SilentlyContinue -WarningVariable warn -WarningAction SilentlyContinue
            @($err).Count | Should -Be 1
            $err[0].TargetObject.Email | Should -Be $victim.Email
            if ($err[0].FullyQualifiedErrorId -like 'AlexaAuthenticationFailed*') {
                $err[0].ErrorDetails.RecommendedAction | Should -Match 'every run tries it again'
                ($warn | Out-String) | Should -Match 'tries the same password again'
                ($warn | Out-String) | Should -Not -Match 'Running the command again is safe\.'
            }
            $err[0].FullyQualifiedErrorId -replace ',.*'
        }
        # The replica locks an account at its fifth wrong password, and shows "Password assistance".
        $ids | Should -Be @('AlexaAuthenticationFailed', 'AlexaAuthenticationFailed', 'AlexaAuthenticationFailed', 'AlexaAuthenticationFailed', 'AlexaAccountLocked')
        (Get-ReplicaAccount $Replica $victim.Email).locked | Should -BeTrue
        # A run after the lock, even with the right password, says the account is locked.
        $err = $null
        Connect-AlexaAccount -Email $victim.Email -Password $victim.SecurePassword -BaseUri $Base -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AlexaAccountLocked*'
        $err[0].Exception.Message | Should -Not -Match 'email address again'
    }

    It 'fails with AlexaApprovalRequired when no wait for a push approval is configured' {
        $account = New-ReplicaAccount $Replica -Challenge approval
        { Connect-AlexaAccount -Email $account.Email -Password $account.SecurePassword -BaseUri $Base -ErrorAction Stop } |
            Should -Throw -ErrorId 'AlexaApprovalRequired*'
    }

    It 'waits for the push approval up to timeouts.approvalSeconds and continues once it is approved' {
        $account = New-ReplicaAccount $Replica -Challenge approval
        $waiting = Join-Path $TestDrive 'approval-wait.json'
        '{ "timeouts": { "approvalSeconds": 60 } }' | Set-Content $waiting
        $env:ALEXAPRIVACY_SITE_PROFILE = $waiting
        $ps = [powershell]::Create()
        $null = $ps.AddScript({
                param($ModulePath, $Email, $Password, $Base, $ProfilePath)
                $env:ALEXAPRIVACY_SITE_PROFILE = $ProfilePath
                Import-Module $ModulePath
                $s = Connect-AlexaAccount -Email $Email -Password (ConvertTo-SecureString $Password -AsPlainText -Force) -BaseUri $Base
                (Get-AlexaDataSetting -Session $s -Name VoiceRecordingReview).Value
                Disconnect-AlexaAccount -Session $s
            }).AddArgument($ModulePath).AddArgument($account.Email).AddArgument($account.Password).AddArgument($Base).AddArgument($waiting)
        $async = $ps.BeginInvoke()
        # The person taps "Approve" on the phone once the notification is there.
        $approved = 0
        $deadline = [datetime]::UtcNow.AddSeconds(60)
        while ($approved -eq 0 -and [datetime]::UtcNow -lt $deadline -and -not $async.IsCompleted) {
            $approved = (Invoke-ReplicaAdmin $Replica -Method POST -Path "/__replica/accounts/$($account.Email)/approve").approved
            if ($approved -eq 0) { Start-Sleep -Milliseconds 250 }
        }
        $approved | Should -Be 1
        $result = $ps.EndInvoke($async)
        $ps.Streams.Error | Should -BeNullOrEmpty
        $result | Should -Be 'On'
        (Get-ReplicaAccount $Replica $account.Email).signInCount | Should -Be 1
        $ps.Dispose()
    }

    It 'signs in when the page a sign-in form is redirected to is answered 503 once' {
        # The password step posts and is redirected to the one-time code page; that page answers 503 once.
        $key = New-TestTotpKey
        $account = New-ReplicaAccount $Replica -TotpSecret $key
        Set-ReplicaFault $Replica @{ throttle = @{ status = 503; count = 1; pathPrefix = '/ap/mfa' } }
        try {
            $output = Connect-AlexaAccount -Email $account.Email -Password $account.SecurePassword -TotpSecret (ConvertTo-TestSecureString $key) -BaseUri $Base -Verbose 4>&1
        }
        finally { Set-ReplicaFault $Replica @{} }
        ($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -Match 'answered 503'
        $session = $output | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
        $session.Account | Should -Be $account.Email
        (Invoke-ReplicaAdmin $Replica -Path '/__replica/faults').throttle.count | Should -Be 0
        (Get-ReplicaAccount $Replica $account.Email).signInCount | Should -Be 1
        Disconnect-AlexaAccount -Session $session
    }

    It 'counts the tries per request: the page and the sign-in page it redirects to, answered 503 by turns eight times, still sign in' {
        # The first load of a signed-out account is the privacy page, redirected to the sign-in page. Every other
        # load of the privacy page is answered 503, and the sign-in page each time the privacy page lets it through:
        # eight faults, never two of the same request in a row (six of one request in a row would be AlexaRateLimited).
        $account = New-ReplicaAccount $Replica -Settings @{ VoiceRecordingReview = $true }
        Set-ReplicaFault $Replica @{ throttles = @(
                @{ status = 503; count = 4; pathPrefix = '/alexa-privacy/apd/'; every = 2 }
                @{ status = 503; count = 4; pathPrefix = '/ap/signin' }
            ) }
        try {
            $errors = $null
            $output = Set-AlexaDataSetting -Email $account.Email -Password $account.SecurePassword -BaseUri $Base -Enabled $false -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue -Verbose 4>&1
            $left = (Invoke-ReplicaAdmin $Replica -Path '/__replica/faults').throttles
        }
        finally { Set-ReplicaFault $Replica @{} }
        $errors | Should -BeNullOrEmpty
        # All eight throttled answers were given, and the change was made after them.
        @($left | ForEach-Object { $_.count }) | Should -Be @(0, 0)
        (Get-ReplicaAccount $Replica $account.Email).settings.VoiceRecordingReview | Should -BeFalse
        (Get-ReplicaAccount $Replica $account.Email).signInCount | Should -Be 1
        $verbose = ($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n"
        $verbose | Should -Match 'answered 503 to /ap/signin, the page /alexa-privacy/apd/\S+ led to for'
        $verbose | Should -Not -Match 'trying again \(3 of 6\)'
    }

    It 'fails with AlexaRateLimited after bounded tries when the sign-in pages are throttled, with no password sent' {
        $account = New-ReplicaAccount $Replica
        Set-ReplicaFault $Replica @{ throttle = @{ status = 503; count = 1000; pathPrefix = '/ap/' } }
        try {
            { Connect-AlexaAccount -Email $account.Email -Password $account.SecurePassword -BaseUri $Base -ErrorAction Stop } |
                Should -Throw -ErrorId 'AlexaRateLimited*'
        }
        finally { Set-ReplicaFault $Replica @{} }
        (Get-ReplicaAccount $Replica $account.Email).signInCount | Should -Be 0
        (Get-ReplicaAccount $Replica $account.Email).failedPasswordCount | Should -Be 0
    }
}

Describe 'Per-account watchdog' {
    AfterEach { Set-ReplicaFault $Replica @{} }

    It 'turns an account that runs past timeouts.accountSeconds into AlexaTimeout for that row' {
        # Page waits far longer than the account's whole budget: only the watchdog can end it in time.
        $profile = Join-Path $TestDrive 'account-budget.json'
        '{ "timeouts": { "navigationSeconds": 300, "actionSeconds": 300, "accountSeconds": 15 } }' | Set-Content $profile
        $account = New-ReplicaAccount $Replica
        Set-ReplicaFault $Replica @{ hang = @{ pathPrefix = '/alexa-privacy/apd/myad/settings-data' } }
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $err = $null
        $output = Get-AlexaDataSetting -Email $account.Email -Password $account.SecurePassword -BaseUri $Base -SiteProfile $profile -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 120
        $output | Should -BeNullOrEmpty
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AlexaTimeout,*'
        $err[0].Exception.Message | Should -Match 'accountSeconds'
        $err[0].TargetObject.Email | Should -Be $account.Email
    }
}
