# Every marketplace of the site contract: sign-in on the marketplace's own site with its cookie
# suffix, a clear error for an account of another marketplace, and German pages on amazon.de.
BeforeDiscovery {
    $script:MarketplaceCases = @(
        @{ Marketplace = 'amazon.com'; Suffix = 'main' }
        @{ Marketplace = 'amazon.ca'; Suffix = 'acbca' }
        @{ Marketplace = 'amazon.co.uk'; Suffix = 'acbuk' }
        @{ Marketplace = 'amazon.de'; Suffix = 'acbde' }
        @{ Marketplace = 'amazon.fr'; Suffix = 'acbfr' }
        @{ Marketplace = 'amazon.it'; Suffix = 'acbit' }
        @{ Marketplace = 'amazon.es'; Suffix = 'acbes' }
        @{ Marketplace = 'amazon.in'; Suffix = 'acbin' }
        @{ Marketplace = 'amazon.co.jp'; Suffix = 'acbjp' }
        @{ Marketplace = 'amazon.com.au'; Suffix = 'acbau' }
        @{ Marketplace = 'amazon.com.mx'; Suffix = 'acbmx' }
        @{ Marketplace = 'amazon.com.br'; Suffix = 'acbbr' }
    )
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
}

AfterAll {
    Get-Module AlexaPrivacy | Remove-Module -Force
}

Describe 'Sign-in on every marketplace' {
    It 'signs in on <Marketplace> with -<Suffix> cookies and reads its settings' -ForEach $MarketplaceCases {
        $replica = Start-TestReplica -Arguments @('--marketplace', $Marketplace)
        try {
            $account = New-ReplicaAccount $replica -Marketplace $Marketplace -Settings @{ VoiceRecordingReview = $true }
            $sessionPath = Join-Path $TestDrive "$Marketplace.session"
            $session = Connect-AlexaAccount -Email $account.Email -Password $account.SecurePassword -Marketplace $Marketplace `
                -BaseUri $replica.BaseUri -SessionPath $sessionPath
            $session.Marketplace | Should -Be $Marketplace
            $session.BaseUri.Authority | Should -Be ([uri]$replica.BaseUri).Authority

            $cookies = (Get-Content -Raw $sessionPath | ConvertFrom-Json).cookies
            $names = @($cookies.name)
            foreach ($prefix in 'at-', 'sess-at-', 'ubid-', 'x-') { $names | Should -Contain "$prefix$Suffix" }
            # Every sign-in cookie belongs to the marketplace's own site: nothing went elsewhere.
            $cookies | ForEach-Object { $_.domain | Should -Be ([uri]$replica.BaseUri).Host }
            $others = $MarketplaceCases.Suffix | Where-Object { $_ -ne $Suffix }
            $names | Where-Object { $n = $_; $others | Where-Object { $n -like "*-$_" } } | Should -BeNullOrEmpty

            (Get-AlexaDataSetting -Session $session -Name VoiceRecordingReview).Enabled | Should -BeTrue
            Disconnect-AlexaAccount -Session $session
        }
        finally {
            Stop-TestReplica $replica
        }
    }
}

Describe 'Accounts of another marketplace' {
    BeforeAll {
        $script:German = Start-TestReplica -Arguments @('--marketplace', 'amazon.de')
    }
    AfterAll { Stop-TestReplica $German }

    It 'names the marketplace when the site has no such account' {
        $account = New-ReplicaAccount $German -Marketplace 'amazon.co.uk'
        $err = $null
        $session = Connect-AlexaAccount -Email $account.Email -Password $account.SecurePassword -Marketplace amazon.de `
            -BaseUri $German.BaseUri -ErrorVariable err -ErrorAction SilentlyContinue
        $session | Should -BeNullOrEmpty
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AlexaAuthenticationFailed*'
        $err[0].Exception.Message | Should -Match 'amazon\.de'
        $err[0].TargetObject.Email | Should -Be $account.Email
        $err[0].TargetObject.Password | Should -Not -Be $account.Password
    }

    It 'stops with AlexaWrongMarketplace when the site signs the account in to another marketplace' {
        $account = New-ReplicaAccount $German -Marketplace 'amazon.de'
        $err = $null
        $session = Connect-AlexaAccount -Email $account.Email -Password $account.SecurePassword -Marketplace amazon.com `
            -BaseUri $German.BaseUri -ErrorVariable err -ErrorAction SilentlyContinue
        $session | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AlexaWrongMarketplace*'
        $err[0].Exception.Message | Should -Match 'amazon\.com'
        $err[0].Exception.Message | Should -Match 'signed it in to amazon\.de'
        $err[0].ErrorDetails.RecommendedAction | Should -Match '-Marketplace amazon\.de'
    }

    It 'fails only the row of another marketplace and opts out the rest' {
        $good = New-ReplicaAccount $German -Marketplace 'amazon.de' -Settings @{ VoiceRecordingReview = $true }
        $wrong = New-ReplicaAccount $German -Marketplace 'amazon.fr' -Settings @{ VoiceRecordingReview = $true }
        $rows = @(
            [pscustomobject]@{ Email = $wrong.Email; Password = $wrong.Password; Marketplace = 'amazon.de' }
            [pscustomobject]@{ Email = $good.Email; Password = $good.Password; Marketplace = 'amazon.de' }
        )
        $err = $null
        $changes = $rows | Set-AlexaDataSetting -Enabled $false -BaseUri $German.BaseUri -Confirm:$false -PassThru `
            -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        @($changes).Count | Should -Be 1
        $changes.Account | Should -Be $good.Email
        $changes.NewValue | Should -Be 'Off'
        (Get-ReplicaAccount $German $good.Email).settings.VoiceRecordingReview | Should -BeFalse
        (Get-ReplicaAccount $German $wrong.Email).settings.VoiceRecordingReview | Should -BeTrue
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AlexaAuthenticationFailed*'
        $err[0].TargetObject.Email | Should -Be $wrong.Email
    }
}

Describe 'German pages on amazon.de' {
    BeforeAll {
        $script:German = Start-TestReplica -Arguments @('--marketplace', 'amazon.de')
    }
    AfterAll { Stop-TestReplica $German }

    It 'is served German pages by the replica unless English is asked for' {
        (Invoke-WebRequest -Uri ($German.BaseUri + 'ap/signin')).Content | Should -Match 'E-Mail-Adresse oder Mobiltelefonnummer'
    }

    It 'turns off human review on a German marketplace and Amazon stores it' {
        $account = New-ReplicaAccount $German -Marketplace 'amazon.de' -Settings @{ VoiceRecordingReview = $true; VoiceRecordingRetention = 'UntilDeleted' }
        $change = Set-AlexaDataSetting -Email $account.Email -Password $account.SecurePassword -Marketplace amazon.de `
            -BaseUri $German.BaseUri -Enabled $false -Confirm:$false -PassThru
        $change.Changed | Should -BeTrue
        $change.Marketplace | Should -Be 'amazon.de'
        (Get-ReplicaAccount $German $account.Email).settings.VoiceRecordingReview | Should -BeFalse

        Set-AlexaDataSetting -Email $account.Email -Password $account.SecurePassword -Marketplace amazon.de `
            -BaseUri $German.BaseUri -Name VoiceRecordingRetention -Value ThreeMonths -Confirm:$false
        (Get-ReplicaAccount $German $account.Email).settings.VoiceRecordingRetention | Should -Be 'ThreeMonths'
    }

    It 'passes the compatibility check on every page of a German marketplace' {
        $account = New-ReplicaAccount $German -Marketplace 'amazon.de'
        $checks = Test-AlexaSiteCompatibility -Email $account.Email -Password $account.SecurePassword -Marketplace amazon.de -BaseUri $German.BaseUri
        $checks | Where-Object { -not $_.Found } | Should -BeNullOrEmpty
        @($checks.Page | Sort-Object -Unique) | Should -Be @('Hub', 'Settings', 'VoiceHistory')
        $checks[0].Language | Should -Be 'en_US'
    }
}

Describe 'Tab completion of -Marketplace' {
    It 'offers the marketplaces of the site profile' {
        $result = TabExpansion2 -inputScript 'Get-AlexaDataSetting -Marketplace amazon.co.' -cursorColumn 44
        $result.CompletionMatches.CompletionText | Should -Be @('amazon.co.uk', 'amazon.co.jp')
        $result = TabExpansion2 -inputScript 'Connect-AlexaAccount -Marketplace amazon.d' -cursorColumn 42
        $result.CompletionMatches.CompletionText | Should -Be @('amazon.de')
    }
}
