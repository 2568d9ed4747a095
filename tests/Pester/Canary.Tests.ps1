# The secret canary (tools/Test-SecretCanary.ps1) that build.ps1 runs after the tests: it finds a
# planted secret in every form and place it claims to search, and names the place, never the secret.
BeforeAll {
    $script:Tool = Join-Path $PSScriptRoot '../../tools/Test-SecretCanary.ps1'

    function New-Secrets {
        param([string] $Folder, [hashtable[]] $Entries)
        $null = New-Item -ItemType Directory $Folder -Force
        $Entries | ForEach-Object { $_ | ConvertTo-Json -Compress } | Set-Content (Join-Path $Folder 'secrets-1.jsonl')
    }
}

Describe 'Secret canary' {
    BeforeEach {
        $script:Password = 'Planted+' + [guid]::NewGuid().ToString('N') + '/9'
        $script:Key = 'ABCD EFGH IJKL MNOP QRST UVWX YZ23 4567'
        $script:Cookie = 'Ck' + [guid]::NewGuid().ToString('N')
        $script:Code = '{0:000000}' -f (Get-Random -Minimum 100000 -Maximum 999999)
        $script:Secrets = Join-Path $TestDrive "secrets-$([guid]::NewGuid().ToString('N'))"
        New-Secrets $Secrets @(
            @{ kind = 'password'; value = $Password }
            @{ kind = 'totp'; value = $Key }
            @{ kind = 'cookie'; value = $Cookie }
            @{ kind = 'code'; value = $Code }
        )
        $script:Files = New-Item -ItemType Directory (Join-Path $TestDrive "files-$([guid]::NewGuid().ToString('N'))")
        $script:Streams = New-Item -ItemType Directory (Join-Path $TestDrive "streams-$([guid]::NewGuid().ToString('N'))")
    }

    It 'reports nothing when nothing leaked, and counts what it searched' {
        'an ordinary log line at 12:00:01.250, 1733245556.123 s, build 20261203' | Set-Content (Join-Path $Files 'log.txt')
        'Pester: 3 passed, 0 failed' | Set-Content (Join-Path $Streams 'a.stdout.txt')
        $result = & $Tool -SecretsFolder $Secrets -Path $Files -StreamPath $Streams
        $result.Files | Should -Be 1
        $result.Streams | Should -Be 1
        $result.Secrets | Should -BeGreaterThan 4
        @($result.Hits).Count | Should -Be 0
    }

    It 'finds a planted <Kind> written as <Form>' -ForEach @(
        @{ Kind = 'password'; Form = 'plain'; Write = { param($s) "user typed $($s.Password) here" } }
        @{ Kind = 'password'; Form = 'url'; Write = { param($s) 'email=a%40b&password=' + [uri]::EscapeDataString($s.Password) + '!' } }
        @{ Kind = 'password'; Form = 'base64'; Write = { param($s) 'Authorization: Basic ' + [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($s.Password)) } }
        @{ Kind = 'totp'; Form = 'plain'; Write = { param($s) 'key ' + ($s.Key -replace '\s', '') } }
        @{ Kind = 'cookie'; Form = 'plain'; Write = { param($s) "Cookie: at-main=$($s.Cookie)" } }
        @{ Kind = 'code'; Form = 'plain'; Write = { param($s) "{`"__playwright_value_`":`"$($s.Code)`"}" } }
    ) {
        & $Write ([pscustomobject]@{ Password = $Password; Key = $Key; Cookie = $Cookie; Code = $Code }) | Set-Content (Join-Path $Files 'leak.txt')
        $result = & $Tool -SecretsFolder $Secrets -Path $Files -StreamPath $Streams
        @($result.Hits).Count | Should -Be 1
        $result.Hits[0].Kind | Should -Be $Kind
        $result.Hits[0].Form | Should -Be $Form
        $result.Hits[0].Place | Should -BeLike '*leak.txt*'
        ($result | ConvertTo-Json -Depth 5) | Should -Not -Match ([regex]::Escape($Password))
    }

    It 'looks inside every entry of a trace zip, and in captured streams' {
        $inner = Join-Path $TestDrive "inner-$([guid]::NewGuid().ToString('N'))"
        $null = New-Item -ItemType Directory $inner
        "{`"type`":`"frame-snapshot`",`"html`":[`"INPUT`",{`"__playwright_value_`":`"$Password`"}]}" | Set-Content (Join-Path $inner 'trace.trace')
        Compress-Archive -Path (Join-Path $inner '*') -DestinationPath (Join-Path $Files 'session-trace-1.zip')
        "VERBOSE: signing in with $Password" | Set-Content (Join-Path $Streams 'Security.Tests.stdout.txt')
        $result = & $Tool -SecretsFolder $Secrets -Path $Files -StreamPath $Streams
        @($result.Hits | Where-Object Place -like '*session-trace-1.zip!trace.trace*').Count | Should -Be 1
        @($result.Hits | Where-Object Place -eq 'stream Security.Tests.stdout.txt').Count | Should -Be 1
    }

    It 'takes a code only as a whole number, and a cookie in a saved session as that session' {
        "id 1$Code, time $Code.5, size 9$($Code)0" | Set-Content (Join-Path $Files 'numbers.txt')
        @{ cookies = @(@{ name = 'at-main'; value = $Cookie }); origins = @() } | ConvertTo-Json -Depth 4 | Set-Content (Join-Path $Files 'saved.session')
        $result = & $Tool -SecretsFolder $Secrets -Path $Files -StreamPath $Streams
        @($result.Hits).Count | Should -Be 0
        # The same session file with the password in it is a leak all the same.
        @{ cookies = @(@{ name = 'at-main'; value = $Cookie }); origins = @(); note = $Password } | ConvertTo-Json -Depth 4 | Set-Content (Join-Path $Files 'saved.session')
        $result = & $Tool -SecretsFolder $Secrets -Path $Files -StreamPath $Streams
        @($result.Hits).Count | Should -Be 1
        $result.Hits[0].Kind | Should -Be 'password'
    }

    It 'records the secrets the tests create when the build asks for it' {
        . (Join-Path $PSScriptRoot 'common.ps1')
        $saved = $env:ALEXAPRIVACY_TEST_CANARY
        $env:ALEXAPRIVACY_TEST_CANARY = Join-Path $TestDrive "recorded-$([guid]::NewGuid().ToString('N'))"
        try {
            Add-TestCanary password $Password
            Add-TestCanary totp $Key
            "left in a log: $Password" | Set-Content (Join-Path $Files 'log.txt')
            $result = & $Tool -SecretsFolder $env:ALEXAPRIVACY_TEST_CANARY -Path $Files
            @($result.Hits).Count | Should -Be 1
            $result.Hits[0].Kind | Should -Be 'password'
        }
        finally { $env:ALEXAPRIVACY_TEST_CANARY = $saved }
    }
}
