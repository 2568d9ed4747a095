# Connect-AlexaAccount against the replica in headless Chromium: sign-in steps, errors, saved sessions.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    $script:Replica = Start-TestReplica
    $script:Base = $Replica.BaseUri
}

AfterAll {
    Get-Module AlexaPrivacy | Remove-Module -Force
    Stop-TestReplica $Replica
}

Describe 'Connect-AlexaAccount' {
    AfterEach { Set-ReplicaFault $Replica @{} }

    It 'signs in with email and password and makes the session current' {
        $account = New-ReplicaAccount $Replica
        $session = Connect-AlexaAccount -Email $account.Email -Password $account.SecurePassword -BaseUri $Base
        $session.Account | Should -Be $account.Email
        $session.IsOpen | Should -BeTrue
        $session.Reused | Should -BeFalse
        (Get-ReplicaAccount $Replica $account.Email).signInCount | Should -Be 1
        # The current session is used when -Session is not given.
        (Get-AlexaDataSetting -Name VoiceRecordingReview).Account | Should -Be $account.Email
        Disconnect-AlexaAccount
        $session.IsOpen | Should -BeFalse
    }

    It 'signs in with a PSCredential and a TOTP key through the two-step verification page' {
        $key = New-TestTotpKey
        $account = New-ReplicaAccount $Replica -TotpSecret $key
        $credential = [pscredential]::new($account.Email, $account.SecurePassword)
        $session = Connect-AlexaAccount -Credential $credential -TotpSecret (ConvertTo-TestSecureString $key) -BaseUri $Base
        $session.IsOpen | Should -BeTrue
        (Get-ReplicaAccount $Replica $account.Email).signInCount | Should -Be 1
        Disconnect-AlexaAccount -Session $session
    }

    It 'fails with AlexaAuthenticationFailed on a wrong password and tries it only once' {
        $account = New-ReplicaAccount $Replica
        $err = $null
        $session = Connect-AlexaAccount -Email $account.Email -Password (ConvertTo-TestSecureString 'wrong-password') -BaseUri $Base -ErrorVariable err -ErrorAction SilentlyContinue
        $session | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AlexaAuthenticationFailed*'
        $err[0].TargetObject.Email | Should -Be $account.Email
        $err[0].TargetObject.Password | Should -Be '(secret)'
        $err[0].ToString() | Should -Not -Match 'wrong-password'
        (Get-ReplicaAccount $Replica $account.Email).failedPasswordCount | Should -Be 1
    }

    It 'fails with AlexaAuthenticationFailed for an email Amazon does not know' {
        { Connect-AlexaAccount -Email (New-TestEmail 'nobody') -Password (ConvertTo-TestSecureString 'x') -BaseUri $Base -ErrorAction Stop } |
            Should -Throw -ErrorId 'AlexaAuthenticationFailed*'
    }

    It 'fails with AlexaOtpInvalid when the TOTP key is wrong' {
        $account = New-ReplicaAccount $Replica -TotpSecret (New-TestTotpKey)
        { Connect-AlexaAccount -Email $account.Email -Password $account.SecurePassword -TotpSecret (ConvertTo-TestSecureString (New-TestTotpKey)) -BaseUri $Base -ErrorAction Stop } |
            Should -Throw -ErrorId 'AlexaOtpInvalid*'
    }

    It 'fails with AlexaOtpRequired when Amazon asks for a code and no TOTP key was given' {
        $account = New-ReplicaAccount $Replica -TotpSecret (New-TestTotpKey)
        { Connect-AlexaAccount -Email $account.Email -Password $account.SecurePassword -BaseUri $Base -ErrorAction Stop } |
            Should -Throw -ErrorId 'AlexaOtpRequired*'
    }

    It 'reuses a saved session without signing in again' {
        $account = New-ReplicaAccount $Replica -TotpSecret (New-TestTotpKey)
        $path = Join-Path $TestDrive 'saved.session'
        $first = Connect-AlexaAccount -Email $account.Email -Password $account.SecurePassword -TotpSecret (ConvertTo-TestSecureString $account.TotpSecret) -BaseUri $Base -SessionPath $path
        $first.Reused | Should -BeFalse
        Test-Path $path | Should -BeTrue
        if (-not $IsWindows) { [int](Get-Item $path).UnixFileMode | Should -Be ([Convert]::ToInt32('600', 8)) }
        Get-Content $path -Raw | Should -Not -Match ([regex]::Escape($account.Password))
        Disconnect-AlexaAccount -Session $first

        $second = Connect-AlexaAccount -Email $account.Email -SessionPath $path -BaseUri $Base
        $second.Reused | Should -BeTrue
        (Get-ReplicaAccount $Replica $account.Email).signInCount | Should -Be 1
        (Get-AlexaDataSetting -Session $second -Name VoiceRecordingReview).Value | Should -Be 'On'
        Disconnect-AlexaAccount -Session $second
    }

    It 'keeps one released page per process for its session''s next command, on about:blank, and reads what Amazon holds then' {
        # The pages a session's context holds (its browser context is internal to the module).
        $contextOf = [AlexaPrivacy.AlexaSession].GetProperty('Context', [Reflection.BindingFlags]'Instance,NonPublic')
        function Get-SessionPages($Session) { @($contextOf.GetValue($Session).Pages) }
        $a = New-ReplicaAccount $Replica
        $b = New-ReplicaAccount $Replica
        $sa = Connect-AlexaAccount -Email $a.Email -Password $a.SecurePassword -BaseUri $Base
        @(Get-SessionPages $sa).Count | Should -Be 1
        (Get-SessionPages $sa)[0].Url | Should -Be 'about:blank'
        $sb = Connect-AlexaAccount -Email $b.Email -Password $b.SecurePassword -BaseUri $Base
        # Only the last released page is kept: many kept sessions hold cookies, not renderers.
        @(Get-SessionPages $sa).Count | Should -Be 0
        (Get-SessionPages $sb).Url | Should -Be @('about:blank')
        # Changed at Amazon after the sign-in: the next read takes the kept page and reports the change.
        $null = Invoke-ReplicaAdmin $Replica -Method PATCH -Path "/__replica/accounts/$([uri]::EscapeDataString($b.Email))" -Body @{ settings = @{ VoiceRecordingReview = $false } }
        (Get-AlexaDataSetting -Session $sb -Name VoiceRecordingReview).Value | Should -Be 'Off'
        (Get-SessionPages $sb).Url | Should -Be @('about:blank')
        (Get-AlexaDataSetting -Session $sa -Name VoiceRecordingReview).Value | Should -Be 'On'
        @(Get-SessionPages $sb).Count | Should -Be 0
        (Get-SessionPages $sa).Url | Should -Be @('about:blank')
        Disconnect-AlexaAccount -Session $sa
        Disconnect-AlexaAccount -Session $sb
    }

    It 'refuses a session file that other users can read' -Skip:$IsWindows {
        $account = New-ReplicaAccount $Replica
        $path = Join-Path $TestDrive 'open.session'
        Connect-AlexaAccount -Email $account.Email -Password $account.SecurePassword -BaseUri $Base -SessionPath $path | Disconnect-AlexaAccount
        & chmod 644 $path
        { Connect-AlexaAccount -Email $account.Email -SessionPath $path -BaseUri $Base -ErrorAction Stop } |
            Should -Throw -ErrorId 'AlexaSessionFileUnsafe*'
    }

    It 'refuses plain http to a host that is not this machine before opening a browser' {
        { Connect-AlexaAccount -Email 'a@example.com' -Password (ConvertTo-TestSecureString 'x') -BaseUri 'http://example.com/' -ErrorAction Stop } |
            Should -Throw -ErrorId 'AlexaUnsafeOrigin*'
    }

    It 'rejects a marketplace the site profile does not know' {
        { Connect-AlexaAccount -Email 'a@example.com' -Password (ConvertTo-TestSecureString 'x') -Marketplace 'amazon.example' -ErrorAction Stop } |
            Should -Throw -ErrorId 'AlexaInvalidInput*'
    }

    It 'completes -Marketplace on Tab' {
        $result = TabExpansion2 -inputScript 'Connect-AlexaAccount -Marketplace amazon.co' -cursorColumn 43
        $result.CompletionMatches.CompletionText | Should -Contain 'amazon.co.uk'
        $result.CompletionMatches.CompletionText | Should -Contain 'amazon.co.jp'
        $result.CompletionMatches.CompletionText | Should -Not -Contain 'amazon.de'
    }
}
